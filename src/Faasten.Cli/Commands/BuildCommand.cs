using System.CommandLine;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Faasten.Cli.Http;

namespace Faasten.Cli.Commands;

/// <summary>
/// <c>fstn build DIR [-o IMAGE]</c>: packs a function directory into a SquashFS image. The
/// image is deterministic: the same files give the same bytes (and so the same blob hash),
/// whatever the checkout's timestamps, owners, umask or directory order.
/// </summary>
/// <remarks>
/// Shipped modules are compiled into the image (<c>__pycache__</c>, by the sandbox's
/// interpreter <c>/usr/bin/python3</c> when present): VMs import with <c>-B</c> from a
/// read-only <c>/srv</c> and would otherwise recompile every vendored module in every fresh VM.
/// The bytecode is <i>checked-hash</i> (PEP 552): it records the source's hash instead of its
/// timestamp, so it is reproducible, and the interpreter uses it only while it matches the
/// source beside it. Its file names are those inside the VM (<c>/srv/...</c>). An interpreter
/// of another version ignores it (the file name carries the version).
/// </remarks>
internal static class BuildCommand
{
    private const UnixFileMode Executable = (UnixFileMode)0b111_101_101;
    private const UnixFileMode Regular = (UnixFileMode)0b110_100_100;

    // Timestamps, owners and xattrs are fixed here; modes are normalized while staging.
    private static readonly string[] MksquashfsOptions =
        ["-noappend", "-reproducible", "-all-root", "-mkfs-time", "0", "-all-time", "0", "-no-xattrs", "-no-progress", "-quiet"];

    // Caches and VCS metadata are not part of a function, and their .pyc files embed
    // timestamps (the build compiles its own, below).
    private static readonly string[] SkippedDirectories = ["__pycache__", ".git", ".hg", ".svn"];

    private static readonly Argument<string> DirectoryArgument = new("dir")
    {
        Description = "The function's source directory; it must hold workload.py.",
    };

    private static readonly Option<string?> OutputOption = new("--output", "-o")
    {
        Description = "The image file to write (default: DIR's name + '.img' in the current directory).",
    };

    public static Command Create(CliHost host)
    {
        var command = new Command("build", "Build a function image (SquashFS) from a directory holding workload.py.")
        {
            DirectoryArgument,
            OutputOption,
        };
        command.SetAction(async (parseResult, cancellationToken) => (int)await RunAsync(
            host.Console,
            parseResult.GetValue(GlobalOptions.Json),
            parseResult.GetRequiredValue(DirectoryArgument),
            parseResult.GetValue(OutputOption),
            cancellationToken));
        return command;
    }

    public static async Task<ExitCode> RunAsync(CliConsole console, bool json, string directory, string? output, CancellationToken cancellationToken)
    {
        output ??= Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory))) + ".img";
        if (CheckSource(directory) is { } bad)
        {
            return ApiError.BadInput(bad).Report(console, json);
        }
        if (await BuildImageAsync(directory, output, cancellationToken) is { } failure)
        {
            return new ApiError(failure, "build_failed", ExitCode.Failed).Report(console, json);
        }

        var size = new FileInfo(output).Length;
        string hash;
        await using (var image = File.OpenRead(output))
        {
            hash = Convert.ToHexStringLower(await SHA256.HashDataAsync(image, cancellationToken));
        }
        console.Out.WriteLine(json
            ? new JsonObject { ["image"] = output, ["size"] = size, ["sha256"] = hash }.ToJsonString()
            : $"built {output} ({size} bytes, sha256 {hash})");
        return ExitCode.Success;
    }

    /// <summary>
    /// Builds the image of <paramref name="sourceDirectory"/> into <paramref name="output"/>
    /// (replaced atomically). Returns null on success or a one-line reason. Fits the
    /// <see cref="ImageBuilder"/> seam that <c>fstn register</c> uses.
    /// </summary>
    public static async Task<string?> BuildImageAsync(string sourceDirectory, string output, CancellationToken cancellationToken)
    {
        if (CheckSource(sourceDirectory) is { } bad)
        {
            return bad;
        }
        var outputPath = Path.GetFullPath(output);
        var staging = Directory.CreateTempSubdirectory("fstn-build-");
        var partial = outputPath + ".partial";
        try
        {
            var (found, special) = await RunAsync("find", [Path.GetFullPath(sourceDirectory), "-type", "p", "-o", "-type", "s", "-o", "-type", "b", "-o", "-type", "c"], cancellationToken);
            if (found != 0 || special.Length > 0)
            {
                return found != 0
                    ? $"cannot scan '{sourceDirectory}': {special.Trim()}"
                    : $"'{special.Split('\n')[0]}' is not a regular file, directory or symlink";
            }
            var root = Path.Combine(staging.FullName, "root");
            Stage(new DirectoryInfo(Path.GetFullPath(sourceDirectory)), root, outputPath);
            await CompileAsync(root, cancellationToken);
            var (exitCode, messages) = await RunAsync("mksquashfs", [root, partial, .. MksquashfsOptions], cancellationToken);
            if (exitCode != 0)
            {
                return $"mksquashfs failed (exit {exitCode}): {messages.Trim()}";
            }
            File.Move(partial, outputPath, overwrite: true);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception)
        {
            return $"cannot build {output}: {ex.Message}";
        }
        finally
        {
            staging.Delete(recursive: true);
            File.Delete(partial);
        }
    }

    private static string? CheckSource(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return $"directory '{directory}' does not exist";
        }
        return File.Exists(Path.Combine(directory, "workload.py")) ? null : $"'{directory}' has no workload.py";
    }

    /// <summary>
    /// Copies the tree (regular files, directories and symlinks only: checked before) with
    /// canonical modes: directories 0755, files 0644, or 0755 when executable.
    /// </summary>
    private static void Stage(DirectoryInfo source, string target, string outputPath)
    {
        Directory.CreateDirectory(target);
        SetMode(target, Executable);
        foreach (var entry in source.EnumerateFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            var destination = Path.Combine(target, entry.Name);
            if (entry.LinkTarget is { } link)
            {
                File.CreateSymbolicLink(destination, link);
            }
            else if (entry is DirectoryInfo directory)
            {
                if (!SkippedDirectories.Contains(directory.Name))
                {
                    Stage(directory, destination, outputPath);
                }
            }
            else if (entry.FullName == outputPath || entry.FullName == outputPath + ".partial" || entry.Name.EndsWith(".pyc", StringComparison.Ordinal))
            {
                continue;
            }
            else
            {
                File.Copy(entry.FullName, destination);
                SetMode(destination, IsExecutable(entry) ? Executable : Regular);
            }
        }
    }

    /// <summary>The interpreter VMs run (whose bytecode version matters), else the one on PATH.</summary>
    private const string SandboxPython = "/usr/bin/python3";

    /// <summary>Where the image's root is inside a VM: the file names compiled into bytecode.</summary>
    private const string ImageMount = "/srv";

    /// <summary>
    /// Compiles every module of the staged tree to checked-hash bytecode. Best effort: without
    /// Python, or for a file that does not compile (its import fails in the VM anyway, with the
    /// same error), the image ships source only.
    /// </summary>
    private static async Task CompileAsync(string root, CancellationToken cancellationToken)
    {
        var python = File.Exists(SandboxPython) ? SandboxPython : "python3";
        try
        {
            // -I: no PYTHON* variables (PYTHONHASHSEED, PYTHONPYCACHEPREFIX) change the output.
            await RunAsync(python, ["-I", "-m", "compileall", "-q", "-f", "-j", "1", "--invalidation-mode", "checked-hash", "-s", root, "-p", ImageMount, root], cancellationToken);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return; // no Python on this machine
        }
        foreach (var cache in Directory.EnumerateDirectories(root, "__pycache__", SearchOption.AllDirectories))
        {
            SetMode(cache, Executable);
            foreach (var file in Directory.EnumerateFiles(cache))
            {
                SetMode(file, Regular);
            }
        }
    }

    private static bool IsExecutable(FileSystemInfo file) =>
        OperatingSystem.IsWindows() || (file.UnixFileMode & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;

    private static void SetMode(string path, UnixFileMode mode)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string tool, string[] arguments, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(tool)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, await stdout + await stderr);
    }
}
