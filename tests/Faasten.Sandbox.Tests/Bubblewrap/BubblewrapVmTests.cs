using System.Text;
using Faasten.Protocol;
using Faasten.Protocol.Invocations;
using Faasten.Protocol.V1;
using Faasten.Sandbox.Bubblewrap;
using Faasten.Sandbox.Tests.Support;
using Faasten.Sandbox.Vm;
using Faasten.Tests.Common;

namespace Faasten.Sandbox.Tests.Bubblewrap;

public class BubblewrapVmTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    /// <summary>A kernel whose taint_with_label never returns and ignores its token: the worst slow call.</summary>
    private sealed class StuckTaintKernel : ICloudCallHandler
    {
        private readonly FakeKernel _fake = new();

        public CancellationToken Token { get; private set; }

        public async ValueTask<CloudCallResponse> HandleAsync(CloudCallRequest request, CancellationToken cancellationToken)
        {
            if (request.CallCase != CloudCallRequest.CallOneofCase.TaintWithLabel)
            {
                return await _fake.HandleAsync(request, cancellationToken);
            }
            Token = cancellationToken;
            await new TaskCompletionSource().Task;
            throw new InvalidOperationException("unreachable");
        }
    }

    // Issue 12 item 7: the kernel's work for a VM stops when the VM's time is up. The function's
    // call is still in the kernel at the deadline; the invocation must end as Timeout anyway.
    [Fact]
    public async Task InvokeAsync_KernelCallOutlastingTheTimeout_EndsWithTimeoutAndCancelsTheCall()
    {
        using var function = new FunctionDirectory(
            """
            def handle(event, cloudcall):
                return cloudcall.taint_with_label("alice,T")
            """);
        var vm = await sandbox.StartAsync(function);
        var kernel = new StuckTaintKernel();

        // The generous bound only turns a hang (the old behaviour) into a failure.
        var outcome = await vm.InvokeAsync(SandboxFixture.Invocation("null", TimeSpan.FromSeconds(1)), kernel).AsTask().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(InvocationStatus.Timeout, outcome.Status);
        Assert.True(kernel.Token.IsCancellationRequested);
        Assert.False(vm.IsIdle);
    }

    [Fact]
    public async Task InvokeAsync_EchoFunction_ReturnsItsJsonResult()
    {
        var outcome = await sandbox.RunOnceAsync(
            """
            def handle(event, cloudcall):
                return {"echo": event, "n": len(event["items"])}
            """,
            """{"items": [1, 2, 3], "name": "ünï"}""");

        var result = OutcomeAssert.Ok(outcome);
        Assert.Equal(3, result.GetProperty("n").GetInt32());
        Assert.Equal("ünï", result.GetProperty("echo").GetProperty("name").GetString());
    }

    [Fact]
    public async Task InvokeAsync_SeveralInvocationsOnOneVm_RunInSequenceWithModuleStateKept()
    {
        using var function = new FunctionDirectory(
            """
            import os
            count = 0

            def handle(event, cloudcall):
                global count
                count += 1
                if event == "fail":
                    raise ValueError("asked to fail")
                return {"count": count, "pid": os.getpid()}
            """);
        await using var vm = await sandbox.StartAsync(function);

        var first = OutcomeAssert.Ok(await vm.InvokeAsync(SandboxFixture.Invocation("1"), new FakeKernel()));
        var failed = await vm.InvokeAsync(SandboxFixture.Invocation("\"fail\""), new FakeKernel());
        var third = OutcomeAssert.Ok(await vm.InvokeAsync(SandboxFixture.Invocation("3"), new FakeKernel()));

        Assert.Equal(1, first.GetProperty("count").GetInt32());
        Assert.Equal("ValueError", OutcomeAssert.FunctionError(failed).GetProperty("error").GetString());
        Assert.Equal(3, third.GetProperty("count").GetInt32());
        Assert.Equal(first.GetProperty("pid").GetInt32(), third.GetProperty("pid").GetInt32());
        Assert.True(vm.IsIdle);
    }

    [Fact]
    public async Task InvokeAsync_FunctionRaises_ErrorCarriesTypeMessageAndTraceback()
    {
        var outcome = await sandbox.RunOnceAsync(
            """
            def helper(event):
                return event["missing"]

            def handle(event, cloudcall):
                return helper(event)
            """,
            "{}");

        var error = OutcomeAssert.FunctionError(outcome);
        Assert.Equal("KeyError", error.GetProperty("error").GetString());
        Assert.Equal("'missing'", error.GetProperty("message").GetString());
        var traceback = error.GetProperty("traceback").GetString()!;
        Assert.Contains("in helper", traceback, StringComparison.Ordinal);
        Assert.Contains("/srv/workload.py", traceback, StringComparison.Ordinal);
        Assert.DoesNotContain("faasten_runtime", traceback, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("def handle(event, cloudcall)\n    return 1\n", "SyntaxError")]
    [InlineData("import no_such_module\n", "ModuleNotFoundError")]
    [InlineData("x = 1\n", "AttributeError")]
    public async Task InvokeAsync_WorkloadFailsToLoad_EveryInvocationReportsTheLoadError(string workload, string type)
    {
        using var function = new FunctionDirectory(workload);
        await using var vm = await sandbox.StartAsync(function);

        for (var i = 0; i < 2; i++)
        {
            var error = OutcomeAssert.FunctionError(await vm.InvokeAsync(SandboxFixture.Invocation("null"), new FakeKernel()));
            Assert.Equal(type, error.GetProperty("error").GetString());
        }
    }

    [Fact]
    public async Task InvokeAsync_ResultNotJsonSerializable_IsAFunctionError()
    {
        var outcome = await sandbox.RunOnceAsync("def handle(event, cloudcall):\n    return {1, 2}\n");

        Assert.Equal("TypeError", OutcomeAssert.FunctionError(outcome).GetProperty("error").GetString());
    }

    [Fact]
    public async Task InvokeAsync_FunctionImportsModulesShippedInItsImage()
    {
        using var function = new FunctionDirectory(
            "from helpers.text import shout\n\ndef handle(event, cloudcall):\n    return shout(event)\n",
            ("helpers/__init__.py", ""),
            ("helpers/text.py", "def shout(s):\n    return s.upper() + '!'\n"));
        await using var vm = await sandbox.StartAsync(function);

        var result = OutcomeAssert.Ok(await vm.InvokeAsync(SandboxFixture.Invocation("\"hi\""), new FakeKernel()));

        Assert.Equal("HI!", result.GetString());
    }

    [Fact]
    public async Task InvokeAsync_FunctionPrintsToStdoutAndStderr_ChannelIsUnaffected_AndTheLogsHoldAllOfIt()
    {
        using var function = new FunctionDirectory(
            """
            import os, sys

            def handle(event, cloudcall):
                print("x" * 200000)
                sys.stdout.buffer.write(b"\x00\x00\x00\x10garbage-looking bytes\n")
                sys.stdout.flush()
                os.write(1, b"raw fd 1 line\n")
                print("to stderr", file=sys.stderr)
                return cloudcall.get_current_label()
            """);
        await using var vm = await sandbox.StartAsync(function);

        var outcome = await vm.InvokeAsync(SandboxFixture.Invocation("null") with { LogLimit = 300_000 }, new FakeKernel { CurrentLabel = "alice,alice" });

        Assert.Equal("alice,alice", OutcomeAssert.Ok(outcome).GetString());
        // (print's newline may follow the bytes written to sys.stdout.buffer: Python's text layer keeps it until the flush.)
        Assert.StartsWith(new string('x', 200000), outcome.Logs, StringComparison.Ordinal);
        Assert.Contains("\u0000\u0000\u0000\u0010garbage-looking bytes\n", outcome.Logs, StringComparison.Ordinal);
        Assert.Contains("raw fd 1 line\n", outcome.Logs, StringComparison.Ordinal);
        Assert.EndsWith("to stderr\n", outcome.Logs, StringComparison.Ordinal);
        Assert.False(outcome.LogsTruncated);
        // The function's output is its logs, not the VM's console.
        Assert.DoesNotContain("to stderr", vm.Console.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeAsync_Logs_AreCappedAtTheLimit_AndTheNextInvocationStartsAFreshLog()
    {
        using var function = new FunctionDirectory(
            """
            def handle(event, cloudcall):
                print(event["say"] * event["times"])
                return None
            """);
        await using var vm = await sandbox.StartAsync(function);

        var first = await vm.InvokeAsync(SandboxFixture.Invocation("""{"say": "a", "times": 5000}""") with { LogLimit = 1000 }, new FakeKernel());
        var second = await vm.InvokeAsync(SandboxFixture.Invocation("""{"say": "b", "times": 3}""") with { LogLimit = 1000 }, new FakeKernel());
        var none = await vm.InvokeAsync(SandboxFixture.Invocation("""{"say": "c", "times": 3}"""), new FakeKernel());

        Assert.Equal(new string('a', 1000), first.Logs);
        Assert.True(first.LogsTruncated);
        Assert.Equal("bbb\n", second.Logs);
        Assert.False(second.LogsTruncated);
        Assert.Equal("", none.Logs);
    }

    [Fact]
    public async Task InvokeAsync_RuntimeDies_EndsWithCrashedAndDestroysTheVm()
    {
        using var function = new FunctionDirectory("import os\n\ndef handle(event, cloudcall):\n    os._exit(7)\n");
        var vm = await sandbox.StartAsync(function);

        var outcome = await vm.InvokeAsync(SandboxFixture.Invocation("null"), new FakeKernel());

        Assert.Equal(InvocationStatus.Crashed, outcome.Status);
        Assert.Contains("exit status 7", outcome.Message, StringComparison.Ordinal);
        Assert.False(vm.IsIdle);
    }

    [Theory]
    [InlineData("b'\\xff\\xff\\xff\\xff'", "exceeds")]
    [InlineData("b'\\x06\\x00\\x00\\x00\\xff\\xff\\xff\\xff\\xff\\xff'", "not a valid GuestMessage")]
    [InlineData("b'\\x02\\x00\\x00\\x00\\x08\\x01'", "Unexpected")]
    public async Task InvokeAsync_FunctionWritesGarbageToTheChannel_EndsAsCrashedNamingTheProtocolBreak(string garbage, string expected)
    {
        using var function = new FunctionDirectory(
            $$"""
            import os, stat, time

            def handle(event, cloudcall):
                for fd in range(3, 64):
                    try:
                        if stat.S_ISSOCK(os.fstat(fd).st_mode):
                            os.write(fd, {{garbage}})
                    except OSError:
                        pass
                time.sleep(30)
            """);
        var vm = await sandbox.StartAsync(function);

        var outcome = await vm.InvokeAsync(SandboxFixture.Invocation("null"), new FakeKernel());

        Assert.Equal(InvocationStatus.Crashed, outcome.Status);
        Assert.Contains("broke the protocol", outcome.Message, StringComparison.Ordinal);
        Assert.Contains(expected, outcome.Message, StringComparison.Ordinal);
        Assert.False(vm.IsIdle);
        // The host is fine and the backend keeps serving.
        Assert.Equal(1, OutcomeAssert.Ok(await sandbox.RunOnceAsync("def handle(e, c):\n    return 1\n")).GetInt32());
    }

    [Fact]
    public async Task InvokeAsync_CallerCancels_ThrowsAndDestroysTheVm()
    {
        using var function = new FunctionDirectory("import time\n\ndef handle(event, cloudcall):\n    time.sleep(60)\n");
        var vm = await sandbox.StartAsync(function);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => vm.InvokeAsync(SandboxFixture.Invocation("null"), new FakeKernel(), cancel.Token).AsTask());

        Assert.False(vm.IsIdle);
        Assert.False(Directory.Exists(vm.Cgroup!.PidsDirectory));
    }

    [Fact]
    public async Task InvokeAsync_WhileBusy_Throws()
    {
        using var function = new FunctionDirectory("import time\n\ndef handle(event, cloudcall):\n    time.sleep(0.5)\n    return 1\n");
        await using var vm = await sandbox.StartAsync(function);

        var running = vm.InvokeAsync(SandboxFixture.Invocation("null"), new FakeKernel());

        await Assert.ThrowsAsync<InvalidOperationException>(() => vm.InvokeAsync(SandboxFixture.Invocation("null"), new FakeKernel()).AsTask());
        OutcomeAssert.Ok(await running);
    }

    [Fact]
    public async Task StartAsync_ImageBehindADirectoryTheSandboxUserCannotEnter_ThrowsVmStartExceptionNamingTheCause()
    {
        using var parent = new TempDirectory("faasten-private");
        var image = Directory.CreateDirectory(parent.Combine("image")).FullName;
        File.WriteAllText(Path.Combine(image, "workload.py"), "def handle(e, c):\n    return 1\n");
        File.SetUnixFileMode(parent.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var ex = await Assert.ThrowsAsync<VmStartException>(() => sandbox.Backend.StartAsync(new VmSpec(image)).AsTask());

        Assert.Equal(InvocationStatus.Crashed, ex.Status);
        Assert.Contains("bwrap: Can't find source path", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeAsync_WorkloadUnreadableBySandboxUser_IsALoadError()
    {
        using var function = new FunctionDirectory("def handle(e, c):\n    return 1\n");
        File.SetUnixFileMode(Path.Combine(function.Path, "workload.py"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await using var vm = await sandbox.StartAsync(function);

        var error = OutcomeAssert.FunctionError(await vm.InvokeAsync(SandboxFixture.Invocation("null"), new FakeKernel()));

        Assert.Equal("PermissionError", error.GetProperty("error").GetString());
    }

    [Fact]
    public async Task DisposeAsync_Backend_DestroysEveryLiveVm()
    {
        await using var backend = new BubblewrapBackend(sandbox.BackendOptions);
        using var function = new FunctionDirectory("def handle(e, c):\n    return 1\n");
        var vms = new List<BubblewrapVm>();
        for (var i = 0; i < 2; i++)
        {
            vms.Add((BubblewrapVm)await backend.StartAsync(new VmSpec(function.Path)));
        }
        var cgroups = vms.Select(v => v.Cgroup!.PidsDirectory).ToArray();

        await backend.DisposeAsync();
        await backend.DisposeAsync(); // idempotent, like every DisposeAsync

        Assert.Equal(0, backend.LiveVms);
        Assert.All(vms, vm => Assert.False(vm.IsIdle));
        Assert.All(cgroups, directory => Assert.False(Directory.Exists(directory)));
        Assert.False(Directory.Exists(Path.GetDirectoryName(cgroups[0])));
    }

    [Fact]
    public async Task Constructor_LeftoversOfDeadHostProcesses_AreSwept()
    {
        using var function = new FunctionDirectory("def handle(e, c):\n    return 1\n");
        string ownCgroup;
        await using (var vm = await sandbox.StartAsync(function))
        {
            ownCgroup = Path.GetDirectoryName(Path.GetDirectoryName(vm.Cgroup!.PidsDirectory))!;
        }
        const int DeadPid = int.MaxValue - 1;
        var staleCgroup = Path.Combine(ownCgroup, $"faasten-{DeadPid}-1");
        Directory.CreateDirectory(Path.Combine(staleCgroup, "0123"));
        var staleRun = Path.Combine(Path.GetTempPath(), $"faasten-vms-{DeadPid}");
        Directory.CreateDirectory(Path.Combine(staleRun, "0123"));
        File.WriteAllText(Path.Combine(staleRun, "0123", "channel.sock"), "");

        await using var backend = new BubblewrapBackend(sandbox.BackendOptions);

        Assert.False(Directory.Exists(staleCgroup));
        Assert.False(Directory.Exists(staleRun));
    }

    [Fact]
    public void Options_Validate_ReportsEveryProblem()
    {
        var options = new BubblewrapOptions
        {
            BwrapPath = "/nonexistent/bwrap",
            RuntimeDirectory = "/nonexistent",
            TmpSizeBytes = 0,
            MaxProcesses = 1,
            RunDirectory = "/tmp/" + new string('d', 60),
        };

        var errors = options.Validate();

        Assert.Equal(5, errors.Count);
        Assert.Contains(errors, e => e.Contains("set TMPDIR", StringComparison.Ordinal) && e.Contains("111-byte path", StringComparison.Ordinal));
        // 107 bytes exactly is still a usable socket path.
        Assert.Empty((SandboxFixture.Options with { RunDirectory = "/tmp/" + new string('d', 56) }).Validate());
        var ex = Assert.Throws<ArgumentException>(() => new BubblewrapBackend(options));
        Assert.Contains("/nonexistent/bwrap", ex.Message, StringComparison.Ordinal);
        Assert.Empty(SandboxFixture.Options.Validate());
    }

    [Fact]
    public async Task InvokeAsync_EmptyPayload_IsNone()
    {
        using var function = new FunctionDirectory("def handle(event, cloudcall):\n    return event is None\n");
        await using var vm = await sandbox.StartAsync(function);

        var outcome = await vm.InvokeAsync(new VmInvocation(Encoding.UTF8.GetBytes(""), SandboxFixture.DefaultTimeout), new FakeKernel());

        Assert.True(OutcomeAssert.Ok(outcome).GetBoolean());
    }

    [Fact]
    public async Task Runtime_InstalledUnderAPrivateDirectory_IsStillReachableInsideTheVm()
    {
        // A checkout under a 0700 home: the sandbox user (nobody, when tests run as root)
        // cannot traverse it, so the backend must not bind the runtime from there.
        using var home = new TempDirectory("fpriv");
        File.SetUnixFileMode(home.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var runtime = home.Combine("runtime");
        CopyTree(SandboxFixture.Options.RuntimeDirectory, runtime);
        var options = sandbox.BackendOptions with { RuntimeDirectory = runtime, RunDirectory = Path.Combine(Path.GetTempPath(), "fprun-" + Guid.NewGuid().ToString("N")[..8]) };
        using var function = new FunctionDirectory("def handle(event, cloudcall):\n    return event + 1\n");

        await using (var backend = new BubblewrapBackend(options))
        {
            await using var vm = await backend.StartAsync(new VmSpec(function.Path, 128));
            var outcome = await vm.InvokeAsync(SandboxFixture.Invocation("41"), new FakeKernel());
            Assert.Equal(42, OutcomeAssert.Ok(outcome).GetInt32());
        }

        Assert.False(Directory.Exists(options.RunDirectory), "the backend left its staged runtime behind");
    }

    private static void CopyTree(string source, string destination)
    {
        foreach (var directory in Directory.EnumerateDirectories(source, "*", SearchOption.AllDirectories).Prepend(source))
        {
            Directory.CreateDirectory(Path.Combine(destination, Path.GetRelativePath(source, directory)));
        }
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(destination, Path.GetRelativePath(source, file)));
        }
    }
}
