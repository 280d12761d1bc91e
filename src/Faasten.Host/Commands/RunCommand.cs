using System.CommandLine;
using System.Text;
using System.Text.Json;
using Faasten.Fs;
using Faasten.Fs.Records;
using Faasten.Fs.Storage;
using Faasten.Kernel;
using Faasten.Labels;
using Faasten.Protocol.Invocations;
using Faasten.Sandbox.Bubblewrap;
using Faasten.Sandbox.Images;
using Faasten.Sandbox.Vm;
using Faasten.Worker.Hosting;

namespace Faasten.Host.Commands;

/// <summary>
/// <c>faasten run IMAGE_OR_DIR --payload JSON</c>: runs one function once in a real sandbox,
/// against the embedded file system in a local data directory, and prints its result (stdout)
/// and its final label (stderr). The quickest way to try a function.
/// </summary>
/// <remarks>
/// The operator owns the data directory outright, so nothing is withheld: the result and any
/// error are printed whatever their label, together with the label a gate whose declassify
/// component is the run's privilege would release them under. The function's <c>invoke</c>
/// calls run on an embedded worker over the same data directory, so gates registered there work.
/// </remarks>
internal static class RunCommand
{
    /// <summary>Output kept from a local run (a server keeps records.maxLogBytes).</summary>
    private const int MaxLogBytes = 1024 * 1024;

    private static readonly Argument<string> SourceArgument = new("image-or-dir")
    {
        Description = "A function directory (holding workload.py) or a SquashFS function image (fstn build).",
    };

    private static readonly Option<string> PayloadOption = new("--payload")
    {
        Description = "The event, as JSON.",
        DefaultValueFactory = _ => "null",
    };

    private static readonly Option<string> PrivilegeOption = new("--privilege", "-p")
    {
        Description = "The function's privilege (a component, e.g. alice). T is no authority at all.",
        DefaultValueFactory = _ => "T",
    };

    private static readonly Option<string?> LabelOption = new("--label", "-l")
    {
        Description = "The starting current label. Default: public (T,T).",
    };

    private static readonly Option<string> DataOption = new("--data")
    {
        Description = "The data directory (metadata.db and blobs/); bootstrapped if new.",
        DefaultValueFactory = _ => RunOptions.DefaultDataDirectory,
    };

    private static readonly Option<int> TimeoutOption = new("--timeout")
    {
        Description = "Wall-clock limit in seconds.",
        DefaultValueFactory = _ => 30,
    };

    private static readonly Option<int> MemoryOption = new("--memory")
    {
        Description = "Memory limit in MiB.",
        DefaultValueFactory = _ => 128,
    };

    public static Command Create()
    {
        var command = new Command("run", "Run a function once, locally, and print its result (stdout) and final label (stderr).")
        {
            SourceArgument,
            PayloadOption,
            PrivilegeOption,
            LabelOption,
            DataOption,
            TimeoutOption,
            MemoryOption,
        };
        command.SetAction(async (parseResult, ct) => (int)await RunAsync(
            parseResult.InvocationConfiguration.Output,
            parseResult.InvocationConfiguration.Error,
            new RunOptions(parseResult.GetRequiredValue(SourceArgument), parseResult.GetRequiredValue(PayloadOption))
            {
                Privilege = parseResult.GetRequiredValue(PrivilegeOption),
                Label = parseResult.GetValue(LabelOption),
                DataDirectory = parseResult.GetRequiredValue(DataOption),
                Timeout = TimeSpan.FromSeconds(parseResult.GetValue(TimeoutOption)),
                MemoryMb = parseResult.GetValue(MemoryOption),
            },
            ct).ConfigureAwait(false));
        return command;
    }

    public static async Task<RunExitCode> RunAsync(TextWriter output, TextWriter error, RunOptions options, CancellationToken cancellationToken = default)
    {
        if (!TryValidate(error, options, out var privilege, out var label, out var payload))
        {
            return RunExitCode.BadInput;
        }

        if (!Directory.Exists(options.Source) && !File.Exists(options.Source))
        {
            error.WriteLine($"error: '{options.Source}' does not exist");
            return RunExitCode.BadInput;
        }

        SqliteMetadataStore metadata;
        try
        {
            Directory.CreateDirectory(options.DataDirectory);
            metadata = SqliteMetadataStore.Open(Path.Combine(options.DataDirectory, "metadata.db"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
        {
            error.WriteLine($"error: cannot open data directory '{options.DataDirectory}': {e.Message}");
            return RunExitCode.BadInput;
        }

        await using (metadata.ConfigureAwait(false))
        {
            var fs = new FileSystem(metadata, new LocalBlobStore(Path.Combine(options.DataDirectory, "blobs")));
            await fs.BootstrapAsync(cancellationToken).ConfigureAwait(false);
            // The worker's default cache (under the temp directory): VMs must reach it as the
            // sandbox user, which a data directory under a private home would not allow.
            var workerOptions = new WorkerOptions();
            var imageCache = workerOptions.ImageCacheDirectory;
            using var staged = await ResolveImageAsync(error, imageCache, options.Source, cancellationToken).ConfigureAwait(false);
            if (staged is null)
            {
                return RunExitCode.BadInput;
            }

            var image = staged.Directory;

            BubblewrapBackend backend;
            try
            {
                backend = new BubblewrapBackend(options.Sandbox);
            }
            catch (Exception e) when (e is ArgumentException or PlatformNotSupportedException)
            {
                error.WriteLine($"error: the sandbox is not usable here: {e.Message}");
                return RunExitCode.BadInput;
            }

            await using (backend.ConfigureAwait(false))
            {
                using var http = new HttpClient();

                // Disposed before the backend; disposing drains async calls the function made.
                var worker = await WorkerHost.CreateAsync(fs, backend, workerOptions, http: http, cancellationToken: cancellationToken).ConfigureAwait(false);
                await using (worker.ConfigureAwait(false))
                {
                    var trail = new TaintTrail();
                    if (label is not null && !label.Equals(Label.Public))
                    {
                        trail.Begin("start label");
                        trail.Raised(label);
                    }

                    var context = new SecurityContext(privilege, label, trail);
                    var kernel = new CloudCallKernel(fs, context, worker.Invoker, http);
                    await using (kernel.ConfigureAwait(false))
                    {
                        var outcome = await InvokeAsync(error, backend, kernel, image, options, payload, cancellationToken).ConfigureAwait(false);
                        return Report(output, error, outcome, context, privilege);
                    }
                }
            }
        }
    }

    private static async Task<InvocationOutcome?> InvokeAsync(TextWriter error, BubblewrapBackend backend, CloudCallKernel kernel, string image, RunOptions options, byte[] payload, CancellationToken ct)
    {
        IVm vm;
        try
        {
            vm = await backend.StartAsync(new VmSpec(image, options.MemoryMb), ct).ConfigureAwait(false);
        }
        catch (VmStartException e)
        {
            error.WriteLine($"error: the function did not start ({e.Status}): {e.Message}");
            return null;
        }

        await using (vm.ConfigureAwait(false))
        {
            return await vm.InvokeAsync(new VmInvocation(payload, options.Timeout) { LogLimit = MaxLogBytes }, kernel, ct).ConfigureAwait(false);
        }
    }

    private static RunExitCode Report(TextWriter output, TextWriter error, InvocationOutcome? outcome, SecurityContext context, Component privilege)
    {
        // What the function printed, on stderr so that stdout is the result alone.
        if (outcome is { Logs.Length: > 0 })
        {
            error.Write(outcome.Logs);
            if (!outcome.Logs.EndsWith('\n'))
            {
                error.WriteLine();
            }
        }

        if (outcome is { LogsTruncated: true })
        {
            error.WriteLine($"(the function wrote more than {MaxLogBytes} bytes; the rest was dropped)");
        }

        if (outcome is { Status: InvocationStatus.Ok })
        {
            output.WriteLine(Encoding.UTF8.GetString(outcome.Body.Span));
        }
        else if (outcome is not null)
        {
            error.WriteLine($"error: {Describe(outcome)}");
        }

        // The final label before declassification, and what a gate with this privilege as its
        // declassify component would release (DESIGN §3 rule 7).
        error.WriteLine($"label: {context.Label}");
        error.WriteLine($"released: {context.Label.Downgrade(privilege)} (downgraded with privilege {privilege})");
        if (!context.Privilege.Equals(privilege))
        {
            error.WriteLine($"privilege at exit: {context.Privilege}");
        }

        // Where the label came from: each step that raised it, and the label after it.
        var steps = context.Trail?.Steps ?? [];
        error.WriteLine(steps.Count == 0 ? "trail: (nothing raised the label)" : "trail:");
        foreach (var step in steps)
        {
            error.WriteLine($"  {step.Label}  {step.What}");
        }

        return outcome is { Status: InvocationStatus.Ok } ? RunExitCode.Success : RunExitCode.FunctionFailed;
    }

    private static string Describe(InvocationOutcome outcome)
    {
        if (outcome.Status != InvocationStatus.FunctionError || outcome.Body.IsEmpty)
        {
            return $"{outcome.Status}: {outcome.Message}";
        }

        // {"error": type, "message": ..., "traceback": ...}
        try
        {
            using var doc = JsonDocument.Parse(outcome.Body);
            var root = doc.RootElement;
            var type = root.TryGetProperty("error", out var t) ? t.GetString() : "Error";
            var message = root.TryGetProperty("message", out var m) ? m.GetString() : outcome.Message;
            var traceback = root.TryGetProperty("traceback", out var tb) ? tb.GetString() : null;
            return string.IsNullOrEmpty(traceback) ? $"{type}: {message}" : $"{type}: {message}\n{traceback.TrimEnd()}";
        }
        catch (JsonException)
        {
            return $"{outcome.Status}: {Encoding.UTF8.GetString(outcome.Body.Span)}";
        }
    }

    private static bool TryValidate(TextWriter error, RunOptions options, out Component privilege, out Label? label, out byte[] payload)
    {
        label = null;
        payload = Encoding.UTF8.GetBytes(options.Payload);
        privilege = Component.True;
        try
        {
            using var _ = JsonDocument.Parse(payload);
        }
        catch (JsonException e)
        {
            error.WriteLine($"error: --payload is not valid JSON: {e.Message}");
            return false;
        }

        if (!LabelInput.TryParseComponent(error, "--privilege", options.Privilege, out var p)
            || (options.Label is not null && !LabelInput.TryParseLabel(error, "--label", options.Label, out label)))
        {
            return false;
        }

        privilege = p;
        if (options.Timeout <= TimeSpan.Zero || options.MemoryMb < 16)
        {
            error.WriteLine("error: --timeout must be positive and --memory at least 16 MiB");
            return false;
        }

        return true;
    }

    /// <summary>
    /// The directory to mount at /srv: a function directory copied into the worker's image cache
    /// (the sandbox user may not reach it where it is, e.g. under a private home), or an image
    /// file unpacked (once, under its hash) there. Null (reported) when unusable.
    /// </summary>
    private static async Task<StagedFunction?> ResolveImageAsync(TextWriter error, string cacheDirectory, string source, CancellationToken ct)
    {
        StagedFunction staged;
        try
        {
            staged = await new FunctionImageCache(cacheDirectory).GetDirectoryForPathAsync(source, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            error.WriteLine($"error: '{source}' is not a usable function image: {e.Message}");
            return null;
        }

        if (!File.Exists(Path.Combine(staged.Directory, "workload.py")))
        {
            staged.Dispose();
            error.WriteLine($"error: '{source}' holds no workload.py");
            return null;
        }

        return staged;
    }
}
