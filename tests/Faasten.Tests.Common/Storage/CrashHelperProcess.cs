using System.Diagnostics;
using System.Threading.Channels;

namespace Faasten.Tests.Common.Storage;

/// <summary>
/// Runs Faasten.Fs.CrashHelper (copied beside this assembly) as a child process, collects
/// its stdout lines and kills it with SIGKILL, as an out-of-memory kill or a power cut of
/// the process would.
/// </summary>
public sealed class CrashHelperProcess : IDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly List<string> _seen = [];
    private readonly Task _pump;

    private CrashHelperProcess(Process process)
    {
        _process = process;
        _pump = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                await _lines.Writer.WriteAsync(line);
            }

            _lines.Writer.Complete();
        });
    }

    public static CrashHelperProcess Start(params string[] arguments)
    {
        var helper = Path.Combine(AppContext.BaseDirectory, "Faasten.Fs.CrashHelper.dll");
        Assert.True(File.Exists(helper), $"{helper} is missing; Faasten.Tests.Common references the helper project.");
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("exec");
        info.ArgumentList.Add(helper);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return new CrashHelperProcess(Process.Start(info)!);
    }

    /// <summary>Every line read so far, oldest first.</summary>
    public IReadOnlyList<string> Lines => _seen;

    /// <summary>Reads lines until one satisfies <paramref name="match"/>; fails with the helper's stderr if it exits first.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (await _lines.Reader.WaitToReadAsync(cts.Token))
            {
                while (_lines.Reader.TryRead(out var line))
                {
                    _seen.Add(line);
                    if (match(line))
                    {
                        return line;
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"The crash helper printed no matching line within {timeout}.");
        }

        await _process.WaitForExitAsync();
        Assert.Fail($"The crash helper exited ({_process.ExitCode}) early: {await _process.StandardError.ReadToEndAsync()}");
        return "";
    }

    /// <summary>SIGKILL, then drains what the helper printed before it died.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        await _pump;
        while (_lines.Reader.TryRead(out var line))
        {
            _seen.Add(line);
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }
}
