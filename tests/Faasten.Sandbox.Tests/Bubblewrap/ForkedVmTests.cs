using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Faasten.Protocol.Invocations;
using Faasten.Sandbox.Bubblewrap;
using Faasten.Sandbox.Tests.Support;
using Faasten.Sandbox.Vm;

namespace Faasten.Sandbox.Tests.Bubblewrap;

/// <summary>
/// VMs forked from templates, attacked from inside: siblings must not reach each other, a child
/// must not reach its template, keep a capability, or outlive its limits; the template never runs
/// function code or an invocation. (Every fresh-VM test also runs forked: see the Forked*Tests.)
/// </summary>
public sealed class ForkedVmTests(ForkedSandboxFixture sandbox) : IClassFixture<ForkedSandboxFixture>
{
    private static readonly FakeKernel Kernel = new();

    private static async Task<JsonElement> InvokeAsync(IVm vm, object? payload = null) =>
        OutcomeAssert.Ok(await vm.InvokeAsync(SandboxFixture.Invocation(JsonSerializer.Serialize(payload)), Kernel));

    [Fact]
    public async Task Attack_ManyImages_StartNoMoreTemplatesThanTheBound()
    {
        // Templates live outside the VM memory budget: bob registering image after image must
        // not get a process each. Past the bound an idle template goes; when none is idle, VMs
        // of a new image start fresh.
        await using var backend = new BubblewrapBackend(sandbox.BackendOptions with { MaxTemplates = 1 });
        using var a = new FunctionDirectory("def handle(e, c):\n    return 'a'\n");
        using var b = new FunctionDirectory("def handle(e, c):\n    return 'b'\n");
        using var c = new FunctionDirectory("def handle(e, c):\n    return 'c'\n");

        await using (var first = (BubblewrapVm)await backend.StartAsync(new VmSpec(a.Path, 128)))
        {
            Assert.True(first.Forked);
            // a's template has a VM: b cannot evict it, so b's VM starts fresh.
            await using var fresh = (BubblewrapVm)await backend.StartAsync(new VmSpec(b.Path, 128));
            Assert.False(fresh.Forked);
            Assert.Equal(1, backend.Templates);
        }

        // a's template is idle now: c's template replaces it.
        await using var third = (BubblewrapVm)await backend.StartAsync(new VmSpec(c.Path, 128));
        Assert.True(third.Forked);
        Assert.Equal(1, backend.Templates);
        Assert.Equal("c", OutcomeAssert.Ok(await third.InvokeAsync(SandboxFixture.Invocation("null"), Kernel)).GetString());
    }

    [Fact]
    public async Task StartAsync_TwoVmsOfOneFunction_AreForkedFromOneTemplateAsDistinctProcesses()
    {
        using var function = new FunctionDirectory("import os\n\ndef handle(event, cloudcall):\n    return os.getpid()\n");
        var templatesBefore = sandbox.Backend.Templates;
        await using var first = await sandbox.StartAsync(function);
        await using var second = await sandbox.StartAsync(function);

        Assert.True(first.Forked && second.Forked);
        Assert.Equal(templatesBefore + 1, sandbox.Backend.Templates);
        Assert.NotEqual(first.ProcessId, second.ProcessId);
        // Each runs in a PID namespace of its own, under its own init (PID 1), as a fresh VM does.
        Assert.Equal(2, (await InvokeAsync(first)).GetInt32());
        Assert.Equal(2, (await InvokeAsync(second)).GetInt32());
    }

    [Fact]
    public async Task Function_InsideAForkedVm_HoldsNoCapabilityAndHasNoNewPrivs()
    {
        using var function = new FunctionDirectory(
            """
            def handle(event, cloudcall):
                status = {}
                for line in open("/proc/self/status"):
                    key, _, value = line.partition(":")
                    status[key] = value.strip()
                return {k: status[k] for k in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb", "NoNewPrivs", "Uid")}
            """);
        await using var vm = await sandbox.StartAsync(function);

        var status = await InvokeAsync(vm);

        foreach (var set in new[] { "CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb" })
        {
            Assert.Equal("0000000000000000", status.GetProperty(set).GetString());
        }
        Assert.Equal("1", status.GetProperty("NoNewPrivs").GetString());
        Assert.DoesNotContain("\t0\t", "\t" + status.GetProperty("Uid").GetString() + "\t", StringComparison.Ordinal);
    }

    [Fact]
    public async Task Siblings_CannotSeeEachOthersFilesProcessesSocketsOrMemory()
    {
        // The first VM leaves traces everywhere a sibling could look; the second looks.
        using var function = new FunctionDirectory(
            """
            import os, socket

            kept = []

            def attempt(fn):
                try:
                    return f"reached: {fn()!r}"[:200]
                except OSError as e:
                    return f"blocked: {e}"

            def plant():
                with open("/tmp/planted", "w") as f:
                    f.write("secret of the first VM")
                tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                tcp.bind(("127.0.0.1", 47321))
                tcp.listen(1)
                abstract = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                abstract.bind("\0faasten-planted")
                abstract.listen(1)
                kept.extend([tcp, abstract])
                master, _ = os.openpty()
                kept.append(master)
                return {"pts": os.listdir("/dev/pts")}

            def probe():
                def tcp():
                    s = socket.create_connection(("127.0.0.1", 47321), timeout=1)
                    return "connected"
                def abstract():
                    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                    s.connect("\0faasten-planted")
                    return "connected"
                pids = sorted(int(p) for p in os.listdir("/proc") if p.isdigit())
                mem = {}
                for pid in range(1, 400):
                    if pid != os.getpid():
                        try:
                            os.kill(pid, 0)
                            mem[pid] = "exists"
                        except OSError:
                            pass
                return {
                    "file": attempt(lambda: open("/tmp/planted").read()),
                    "tcp": attempt(tcp),
                    "abstract": attempt(abstract),
                    "pids": pids,
                    "signalable": list(mem),
                    "pts": os.listdir("/dev/pts"),
                    "tmp": os.listdir("/tmp"),
                }

            def handle(event, cloudcall):
                return plant() if event == "plant" else probe()
            """);
        await using var first = await sandbox.StartAsync(function);
        await using var second = await sandbox.StartAsync(function);

        var planted = await InvokeAsync(first, "plant");
        var probe = await InvokeAsync(second, "probe");

        Assert.Contains("0", planted.GetProperty("pts").EnumerateArray().Select(p => p.GetString()));
        Assert.StartsWith("blocked", probe.GetProperty("file").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("blocked", probe.GetProperty("tcp").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("blocked", probe.GetProperty("abstract").GetString(), StringComparison.Ordinal);
        Assert.Equal([1, 2], probe.GetProperty("pids").EnumerateArray().Select(p => p.GetInt32()));
        // Only its own init: nothing of the sibling, the template or the host.
        Assert.Equal([1], probe.GetProperty("signalable").EnumerateArray().Select(p => p.GetInt32()));
        Assert.DoesNotContain("0", probe.GetProperty("pts").EnumerateArray().Select(p => p.GetString()));
        Assert.Empty(probe.GetProperty("tmp").EnumerateArray());
        // The first VM still has what it planted: the probe failed for isolation, not for absence.
        Assert.StartsWith("reached", (await InvokeAsync(first, "probe")).GetProperty("file").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Child_CannotReachItsTemplateNorAnyChannelButItsOwn()
    {
        using var function = new FunctionDirectory(
            """
            import os, socket

            def handle(event, cloudcall):
                def connect(path):
                    try:
                        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                        s.connect(path)
                        return "connected"
                    except OSError as e:
                        return f"blocked: {e}"
                fds = {}
                for fd in os.listdir("/proc/self/fd"):
                    try:
                        fds[fd] = os.readlink(f"/proc/self/fd/{fd}")
                    except OSError:
                        pass
                return {
                    "socket dir": os.listdir("/run/faasten"),
                    "control": connect("/run/faasten/channel.sock"),
                    "fds": fds,
                    "ppid": os.getppid(),
                }
            """);
        await using var vm = await sandbox.StartAsync(function);

        var result = await InvokeAsync(vm);

        Assert.Empty(result.GetProperty("socket dir").EnumerateArray());
        Assert.StartsWith("blocked", result.GetProperty("control").GetString(), StringComparison.Ordinal);
        // Its parent is its own init; the template is outside its PID namespace.
        Assert.Equal(1, result.GetProperty("ppid").GetInt32());
        var sockets = result.GetProperty("fds").EnumerateObject()
            .Where(fd => fd.Value.GetString()!.StartsWith("socket:", StringComparison.Ordinal))
            .Select(fd => fd.Name)
            .ToArray();
        // The channel only, nothing of the template's; stdout and stderr are the invocation's log file.
        Assert.Single(sockets);
        Assert.StartsWith("/memfd:faasten-logs", result.GetProperty("fds").GetProperty("1").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("/memfd:faasten-logs", result.GetProperty("fds").GetProperty("2").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Template_NeverRunsTheFunctionOrAnInvocation_EachChildImportsTheWorkloadAfresh()
    {
        var marker = $"imported-{Guid.NewGuid():N}";
        using var function = new FunctionDirectory(
            $$"""
            import os
            print("{{marker}}", flush=True)
            calls = 0

            def handle(event, cloudcall):
                global calls
                calls += 1
                return calls
            """);
        await using var first = await sandbox.StartAsync(function);
        Assert.Equal(1, (await InvokeAsync(first)).GetInt32());
        Assert.Equal(2, (await InvokeAsync(first)).GetInt32());

        await using var second = await sandbox.StartAsync(function);

        // Module state is the child's own: the template never saw the first VM's invocations.
        Assert.Equal(1, (await InvokeAsync(second)).GetInt32());
        Assert.Contains(marker, first.Console.ToString(), StringComparison.Ordinal);
        Assert.Contains(marker, second.Console.ToString(), StringComparison.Ordinal);
        var template = sandbox.Backend.TemplateOf(second.Spec);
        Assert.NotNull(template);
        Assert.DoesNotContain(marker, template.Console.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RandomState_DiffersBetweenSiblings()
    {
        using var function = new FunctionDirectory(
            """
            import random, tempfile

            at_import = random.getrandbits(64)

            def handle(event, cloudcall):
                return [at_import, random.getrandbits(64), tempfile.mktemp()]
            """);
        var seen = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            await using var vm = await sandbox.StartAsync(function);
            seen.Add((await InvokeAsync(vm)).GetRawText());
        }

        foreach (var index in new[] { 0, 1, 2 })
        {
            var values = seen.Select(s => JsonDocument.Parse(s).RootElement[index].ToString()).ToArray();
            Assert.Equal(values.Length, values.Distinct().Count());
        }
    }

    [Fact]
    public async Task MemoryLimit_KillsOnlyTheChild_TheTemplateAndSiblingsLive()
    {
        using var function = new FunctionDirectory(
            """
            def handle(event, cloudcall):
                if event == "hog":
                    hog = bytearray(512 * 1024 * 1024)
                    return len(hog)
                return "alive"
            """);
        await using var sibling = await sandbox.StartAsync(function, memoryMb: 64);
        var hog = await sandbox.StartAsync(function, memoryMb: 64);
        var template = sandbox.Backend.TemplateOf(hog.Spec)!;

        var outcome = await hog.InvokeAsync(SandboxFixture.Invocation("\"hog\""), Kernel);

        Assert.Equal(InvocationStatus.OutOfMemory, outcome.Status);
        Assert.False(hog.IsIdle);
        Assert.Equal("alive", (await InvokeAsync(sibling, "ok")).GetString());
        Assert.True(template.IsUsable);
        Assert.False(template.Cgroup.OomKilled());
        await using var next = await sandbox.StartAsync(function, memoryMb: 64);
        Assert.Same(template, sandbox.Backend.TemplateOf(next.Spec));
        Assert.Equal("alive", (await InvokeAsync(next, "ok")).GetString());
    }

    [Fact]
    public async Task Timeout_KillsOnlyTheChild_NothingOfItIsLeft()
    {
        using var function = new FunctionDirectory(
            """
            import os

            def handle(event, cloudcall):
                if event == "spin":
                    if os.fork() == 0:
                        while True:
                            pass
                    while True:
                        pass
                return "alive"
            """);
        await using var sibling = await sandbox.StartAsync(function);
        var spinner = await sandbox.StartAsync(function);
        var cgroup = spinner.Cgroup!;
        var template = sandbox.Backend.TemplateOf(spinner.Spec)!;

        var outcome = await spinner.InvokeAsync(SandboxFixture.Invocation("\"spin\"", TimeSpan.FromSeconds(1)), Kernel);

        Assert.Equal(InvocationStatus.Timeout, outcome.Status);
        Assert.False(Directory.Exists(cgroup.PidsDirectory));
        Assert.False(Directory.Exists($"/proc/{spinner.ProcessId}") && !File.ReadAllText($"/proc/{spinner.ProcessId}/stat").Contains(") Z ", StringComparison.Ordinal));
        Assert.True(template.IsUsable);
        Assert.Equal("alive", (await InvokeAsync(sibling, "ok")).GetString());
    }

    [Fact]
    public async Task ManyLiveChildrenOfASmallFunction_AreAllForked_TheirStartChargesDoNotFillTheTemplate()
    {
        // Each child leaves what it allocated before its move charged to the template's cgroup
        // while it lives (cgroup v1); a template limited to the function's own 16 MiB ran out
        // after a handful of live children and every later fork waited out the fork timeout.
        using var function = new FunctionDirectory("def handle(event, cloudcall):\n    return 'ok'\n");
        var vms = new List<BubblewrapVm>();
        try
        {
            for (var i = 0; i < 12; i++)
            {
                vms.Add(await sandbox.StartAsync(function, memoryMb: 16));
            }

            Assert.All(vms, vm => Assert.True(vm.Forked));
            foreach (var vm in vms)
            {
                Assert.Equal("ok", (await InvokeAsync(vm)).GetString());
            }
        }
        finally
        {
            foreach (var vm in vms)
            {
                await vm.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task PastMaxChildrenPerTemplate_ANewTemplateOfTheSameKeyTakesTheForks_TheOldChildrenLive()
    {
        await using var backend = new BubblewrapBackend(sandbox.BackendOptions with { MaxChildrenPerTemplate = 2 });
        using var function = new FunctionDirectory("def handle(event, cloudcall):\n    return 'ok'\n");
        var spec = new VmSpec(function.Path, 64);
        var vms = new List<BubblewrapVm>();
        try
        {
            vms.Add((BubblewrapVm)await backend.StartAsync(spec));
            vms.Add((BubblewrapVm)await backend.StartAsync(spec));
            var full = backend.TemplateOf(spec);
            vms.Add((BubblewrapVm)await backend.StartAsync(spec));

            Assert.All(vms, vm => Assert.True(vm.Forked));
            Assert.Equal(2, backend.Templates); // the full one (retired, its children alive) and the new one
            Assert.NotSame(full, backend.TemplateOf(spec));
            foreach (var vm in vms)
            {
                Assert.Equal("ok", (await InvokeAsync(vm)).GetString());
            }
        }
        finally
        {
            foreach (var vm in vms)
            {
                await vm.DisposeAsync();
            }
        }

        Assert.Equal(1, backend.Templates); // the retired one went with its last child
    }

    [Fact]
    public async Task TemplateDies_NextStartBuildsANewOne()
    {
        using var function = new FunctionDirectory("def handle(event, cloudcall):\n    return 'ok'\n");
        await using (var first = await sandbox.StartAsync(function))
        {
            Assert.Equal("ok", (await InvokeAsync(first)).GetString());
        }
        var old = sandbox.Backend.TemplateOf(new VmSpec(function.Path))!;

        await old.Cgroup.KillAllAsync();
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (old.IsUsable)
        {
            await Task.Delay(10, wait.Token); // until the host has seen the template's exit
        }

        await using var next = await sandbox.StartAsync(function);
        Assert.Equal("ok", (await InvokeAsync(next)).GetString());
        var replacement = sandbox.Backend.TemplateOf(next.Spec);
        Assert.NotNull(replacement);
        Assert.NotSame(old, replacement);
        Assert.False(old.IsUsable);
    }

    [Fact]
    public async Task ShippedModuleShadowingASystemModule_IsTheOneImported()
    {
        // A fresh VM puts the image first on sys.path; the template must not pre-import the
        // system's copy of a name the image ships.
        using var function = new FunctionDirectory(
            "import colorsys\n\ndef handle(event, cloudcall):\n    return colorsys.ORIGIN\n",
            ("colorsys.py", "ORIGIN = 'the image'\n"));
        await using var vm = await sandbox.StartAsync(function);

        Assert.Equal("the image", (await InvokeAsync(vm)).GetString());
    }

    [Fact]
    public async Task SystemModulesTheWorkloadImports_ArePreimportedByTheTemplate()
    {
        using var function = new FunctionDirectory(
            """
            import sys
            before = "PIL.Image" in sys.modules
            from PIL import Image

            def handle(event, cloudcall):
                return before
            """);
        await using var vm = await sandbox.StartAsync(function);

        Assert.True((await InvokeAsync(vm)).GetBoolean());
    }

    [Fact]
    public async Task PrepareAsync_BuildsTheTemplateBeforeTheFirstStart()
    {
        using var function = new FunctionDirectory("def handle(event, cloudcall):\n    return 'ok'\n");
        var spec = new VmSpec(function.Path);
        Assert.Null(sandbox.Backend.TemplateOf(spec));

        await sandbox.Backend.PrepareAsync(spec);

        var template = sandbox.Backend.TemplateOf(spec);
        Assert.NotNull(template);
        await using var vm = await sandbox.StartAsync(function);
        Assert.Same(template, sandbox.Backend.TemplateOf(vm.Spec));
    }

    [Fact]
    public async Task TcpListenerOnTheHost_IsUnreachableFromAForkedVm()
    {
        using var tcp = new TcpListener(IPAddress.Loopback, 0);
        tcp.Start();
        var accepted = tcp.AcceptTcpClientAsync();
        using var function = new FunctionDirectory(
            """
            import socket

            def handle(event, cloudcall):
                try:
                    socket.create_connection(("127.0.0.1", event), timeout=1)
                    return "reached"
                except OSError as e:
                    return f"blocked: {e}"
            """);
        await using var vm = await sandbox.StartAsync(function);

        var result = await InvokeAsync(vm, ((IPEndPoint)tcp.LocalEndpoint).Port);

        Assert.StartsWith("blocked", result.GetString(), StringComparison.Ordinal);
        Assert.False(accepted.IsCompleted);
    }
}
