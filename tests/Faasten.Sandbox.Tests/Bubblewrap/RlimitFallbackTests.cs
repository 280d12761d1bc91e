using Faasten.Protocol.Invocations;
using Faasten.Sandbox.Bubblewrap;
using Faasten.Sandbox.Tests.Support;
using Faasten.Sandbox.Vm;

namespace Faasten.Sandbox.Tests.Bubblewrap;

/// <summary>Hosts without writable cgroups: limits fall back to rlimits, teardown to the PID namespace.</summary>
public sealed class RlimitFallbackTests : IAsyncLifetime
{
    private BubblewrapBackend _backend = null!;

    public Task InitializeAsync()
    {
        _backend = new BubblewrapBackend(SandboxFixture.Options with { UseCgroups = false });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _backend.DisposeAsync();

    [Fact]
    public async Task Memory_AllocatingPastTheAddressSpaceLimit_EndsWithOutOfMemory()
    {
        Assert.False(_backend.UsesCgroups);
        using var function = new FunctionDirectory(
            "def handle(event, cloudcall):\n    if event:\n        return len(bytearray(512 << 20))\n    return 'small'\n");
        var vm = await _backend.StartAsync(new VmSpec(function.Path, MemoryMb: 256));

        Assert.Equal("small", OutcomeAssert.Ok(await vm.InvokeAsync(SandboxFixture.Invocation("false"), new FakeKernel())).GetString());
        var outcome = await vm.InvokeAsync(SandboxFixture.Invocation("true"), new FakeKernel());

        Assert.Equal(InvocationStatus.OutOfMemory, outcome.Status);
        Assert.Contains("MemoryError", outcome.Message, StringComparison.Ordinal);
        Assert.False(vm.IsIdle);
    }

    [Fact]
    public async Task Processes_ForkingPastTheLimit_FailsInsideTheVm()
    {
        using var function = new FunctionDirectory(
            """
            import os, time

            def handle(event, cloudcall):
                made = 0
                try:
                    for _ in range(200):
                        if os.fork() == 0:
                            time.sleep(60)
                            os._exit(0)
                        made += 1
                except OSError as e:
                    return [made, e.errno]
                return [made, 0]
            """);
        await using var vm = await _backend.StartAsync(new VmSpec(function.Path, MemoryMb: 256));

        var result = OutcomeAssert.Ok(await vm.InvokeAsync(SandboxFixture.Invocation("null"), new FakeKernel()));

        Assert.InRange(result[0].GetInt32(), 1, SandboxFixture.Options.MaxProcesses);
        Assert.Equal(11, result[1].GetInt32()); // EAGAIN
    }

    [Fact]
    public async Task Timeout_WithABackgroundChild_LeavesNothingRunning()
    {
        var marker = $"{Random.Shared.Next(100_000, 999_999)}.{Random.Shared.Next(1000, 9999)}";
        using var function = new FunctionDirectory(
            "import os, time\n\ndef handle(event, cloudcall):\n" +
            "    if os.fork() == 0:\n        os.setsid()\n        os.execv('/usr/bin/sleep', ['sleep', event])\n" +
            "    while True:\n        time.sleep(1)\n");
        var vm = (BubblewrapVm)await _backend.StartAsync(new VmSpec(function.Path, MemoryMb: 256));

        var outcome = await vm.InvokeAsync(SandboxFixture.Invocation($"\"{marker}\"", TimeSpan.FromSeconds(1)), new FakeKernel());

        Assert.Equal(InvocationStatus.Timeout, outcome.Status);
        Assert.Null(vm.Cgroup);
        Assert.DoesNotContain(
            Directory.EnumerateDirectories("/proc").Select(d => TryRead(Path.Combine(d, "cmdline"))),
            cmdline => cmdline == $"sleep\0{marker}\0");
    }

    private static string TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return "";
        }
        catch (UnauthorizedAccessException)
        {
            return "";
        }
    }
}
