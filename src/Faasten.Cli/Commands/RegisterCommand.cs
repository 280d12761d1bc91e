using System.CommandLine;
using System.Net;
using System.Text.Json.Nodes;
using Faasten.Cli.Http;
using Faasten.Cli.Output;

namespace Faasten.Cli.Commands;

/// <summary>
/// <c>fstn register DIR PATH --privilege P --clearance C [--declassify D] [--memory MB]
/// [--timeout S] [--runtime R] [--env K=V]... [--label L]</c>: builds
/// the image, uploads it to <c>~:images:NAME.img</c>, and creates the gate or, when it
/// exists, updates it. Running it twice leaves one gate pointing at the latest image.
/// </summary>
internal static class RegisterCommand
{
    /// <summary>Where images are kept: the caller's private home, whoever the gate is for.</summary>
    public const string ImageDirectory = "~:images";

    private static readonly Argument<string> DirectoryArgument = new("dir")
    {
        Description = "The function's source directory (holding workload.py).",
    };

    private static readonly Argument<string> PathArgument = FsPathArgument.Create("path", "Where the gate goes, e.g. '~:gen-thumb'.");

    private static readonly Option<string> PrivilegeOption = new("--privilege")
    {
        Description = "The privilege the function runs with, e.g. 'alice'. Your own privilege must imply it.",
        Required = true,
    };

    private static readonly Option<string> ClearanceOption = new("--clearance")
    {
        Description = "What an invoker's privilege must imply to invoke it, e.g. 'alice' (or 'T' for anyone).",
        Required = true,
    };

    private static readonly Option<int?> MemoryOption = new("--memory")
    {
        Description = "Memory limit in MB (default: the server's, 128).",
    };

    private static readonly Option<string?> LabelOption = new("--label")
    {
        Description = "The gate's label 'secrecy,integrity' when it is created (default: the server's).",
    };

    private static readonly Option<string?> DeclassifyOption = new("--declassify")
    {
        Description = "What the function's output may be declassified with (default: its privilege). Your privilege must imply it.",
    };

    private static readonly Option<double?> TimeoutOption = new("--timeout")
    {
        Description = "Wall-clock limit of one invocation in seconds, e.g. 10 or 0.5 (default: the server's, 30; at most 900).",
    };

    private static readonly Option<string?> RuntimeOption = new("--runtime")
    {
        Description = "The runtime (default: python3, the only one).",
    };

    private static readonly Option<string[]> EnvOption = new("--env")
    {
        Description = "An environment variable NAME=VALUE for the function's os.environ; repeat for more. Part of the gate: " +
            "whoever may read the gate may read it, so it is no place for secrets.",
        Arity = ArgumentArity.ZeroOrMore,
        AllowMultipleArgumentsPerToken = false,
    };

    public static Command Create(CliHost host, ImageBuilder buildImage)
    {
        var command = new Command("register", "Build a function, upload its image and create or update its gate.")
        {
            DirectoryArgument,
            PathArgument,
            PrivilegeOption,
            ClearanceOption,
            DeclassifyOption,
            MemoryOption,
            TimeoutOption,
            RuntimeOption,
            EnvOption,
            LabelOption,
        };
        command.SetAction((parseResult, cancellationToken) => host.RunAsync(parseResult, session => RunAsync(
            session,
            buildImage,
            new RegisterOptions(
                parseResult.GetRequiredValue(DirectoryArgument),
                parseResult.GetRequiredValue(PathArgument),
                parseResult.GetRequiredValue(PrivilegeOption),
                parseResult.GetRequiredValue(ClearanceOption),
                parseResult.GetValue(MemoryOption),
                parseResult.GetValue(LabelOption))
            {
                Declassify = parseResult.GetValue(DeclassifyOption),
                TimeoutSeconds = parseResult.GetValue(TimeoutOption),
                Runtime = parseResult.GetValue(RuntimeOption),
                Env = parseResult.GetValue(EnvOption) ?? [],
            },
            cancellationToken)));
        return command;
    }

    public static async Task<ExitCode> RunAsync(CliSession session, ImageBuilder buildImage, RegisterOptions options, CancellationToken cancellationToken)
    {
        if (Validate(options) is { } bad)
        {
            return session.Report(bad);
        }
        if (EnvArguments.TryParse(options.Env, out var env) is { } badEnv)
        {
            return session.Report(badEnv);
        }

        var name = options.Path[(options.Path.LastIndexOf(':') + 1)..];
        var image = Path.Combine(Path.GetTempPath(), $"fstn-{name}-{Guid.NewGuid():N}.img");
        try
        {
            if (await buildImage(options.Directory, image, cancellationToken) is { } failure)
            {
                return session.Report(ApiError.BadInput($"cannot build '{options.Directory}': {failure}", "build_failed"));
            }

            var imagePath = $"{ImageDirectory}:{name}.img";
            var upload = await UploadImageAsync(session, image, imagePath, cancellationToken);
            if (!upload.IsSuccess)
            {
                return session.Report(upload.Error);
            }

            // Rule 8: the gate names its image by path; the server reads it from there.
            var gate = new GateRequest(options.Path, imagePath, options.Privilege, options.Clearance, options.Memory, options.Runtime, options.Label,
                options.Declassify, options.TimeoutSeconds is { } seconds ? (int)Math.Round(seconds * 1000) : null, env);
            var created = await session.Client.PutGateAsync(gate, update: false, cancellationToken);
            var isNew = created.IsSuccess;
            if (created.Status == HttpStatusCode.Conflict)
            {
                created = await session.Client.PutGateAsync(gate, update: true, cancellationToken);
            }
            if (!created.IsSuccess)
            {
                return session.Report(created.Error);
            }

            Print(session, options, imagePath, upload.Value, isNew);
            return ExitCode.Success;
        }
        finally
        {
            File.Delete(image);
        }
    }

    private static ApiError? Validate(RegisterOptions options)
    {
        if ((FsPathArgument.Check(options.Path)
            ?? LabelSyntax.CheckComponent("--privilege", options.Privilege)
            ?? LabelSyntax.CheckComponent("--clearance", options.Clearance)
            ?? LabelSyntax.CheckComponent("--declassify", options.Declassify)
            ?? LabelSyntax.CheckLabel("--label", options.Label)) is { } bad)
        {
            return bad;
        }
        var name = options.Path[(options.Path.LastIndexOf(':') + 1)..];
        if (name.Length == 0 || name == "~" || name.StartsWith('<') || name == "%")
        {
            return ApiError.BadInput($"the gate path '{options.Path}' must end with a name, e.g. '~:gen-thumb'", "bad_path");
        }
        if (options.Memory is <= 0)
        {
            return ApiError.BadInput("--memory must be a positive number of megabytes", "usage");
        }
        if (options.TimeoutSeconds is { } timeout && (!double.IsFinite(timeout) || timeout < 0.001 || timeout > 900))
        {
            return ApiError.BadInput("--timeout must be 0.001–900 seconds", "usage");
        }
        if (!Directory.Exists(options.Directory))
        {
            return ApiError.BadInput($"'{options.Directory}' is not a directory", "bad_file");
        }
        if (!File.Exists(Path.Combine(options.Directory, "workload.py")))
        {
            return ApiError.BadInput($"'{options.Directory}' has no workload.py", "bad_file");
        }
        return null;
    }

    /// <summary>
    /// Uploads the image to <paramref name="blobPath"/>, replacing an older one: the gate
    /// refers to the image by hash, so the name only keeps the latest image findable.
    /// </summary>
    private static async Task<ApiResult<BlobResponse>> UploadImageAsync(CliSession session, string image, string blobPath, CancellationToken cancellationToken)
    {
        var directory = await session.Client.CreateDirectoryAsync(ImageDirectory, label: null, cancellationToken);
        if (!directory.IsSuccess && directory.Status != HttpStatusCode.Conflict)
        {
            return directory.Cast<BlobResponse>();
        }

        for (var attempt = 0; ; attempt++)
        {
            ApiResult<BlobResponse> upload;
            await using (var content = File.OpenRead(image))
            {
                upload = await UploadProgress.RunAsync(session.Console, Path.GetFileName(blobPath), content.Length,
                    progress => session.Client.UploadBlobAsync(blobPath, label: null, content, content.Length, progress, cancellationToken));
            }
            if (upload.Status != HttpStatusCode.Conflict || attempt > 0)
            {
                return upload;
            }
            var removed = await session.Client.DeleteAsync(blobPath, cancellationToken);
            if (!removed.IsSuccess && removed.Status != HttpStatusCode.NotFound)
            {
                return removed.Cast<BlobResponse>();
            }
        }
    }

    private static void Print(CliSession session, RegisterOptions options, string imagePath, BlobResponse image, bool created)
    {
        if (session.Json)
        {
            session.Console.Out.WriteLine(new JsonObject
            {
                ["path"] = options.Path,
                ["created"] = created,
                ["image"] = imagePath,
                ["blob"] = image.Hash,
                ["size"] = image.Size,
            }.ToJsonString(JsonOutput.Compact));
            return;
        }
        session.Console.Out.WriteLine(
            $"{(created ? "registered" : "updated")} gate {options.Path} (privilege {options.Privilege}, clearance {options.Clearance}); " +
            $"image {imagePath}, {Bytes.Format(image.Size)}, blob {image.Hash}");
    }
}
