using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Faasten.Protocol.Invocations;
using Faasten.Sandbox.Tests.Support;
using Faasten.Sandbox.Vm;
using Faasten.Tests.Common;

namespace Faasten.Sandbox.Tests.Bubblewrap;

/// <summary>Functions that try to get out of their VM. Every attempt must fail.</summary>
public class SandboxEscapeTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    private static string Payload(object value) => JsonSerializer.Serialize(value);

    private static void AssertAllBlocked(JsonElement result)
    {
        foreach (var attempt in result.EnumerateObject())
        {
            Assert.True(
                attempt.Value.GetString()!.StartsWith("blocked", StringComparison.Ordinal),
                $"{attempt.Name}: {attempt.Value}");
        }
    }

    [Fact]
    public async Task Network_TcpAndUdpToLoopbackAndPublicAddresses_AreUnreachable()
    {
        using var tcp = new TcpListener(IPAddress.Loopback, 0);
        tcp.Start();
        var accepted = tcp.AcceptTcpClientAsync();
        using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var tcpPort = ((IPEndPoint)tcp.LocalEndpoint).Port;
        var udpPort = ((IPEndPoint)udp.Client.LocalEndPoint!).Port;

        var outcome = await sandbox.RunOnceAsync(
            """
            import socket

            def attempt(fn):
                try:
                    fn()
                    return "reached"
                except OSError as e:
                    return f"blocked: {e}"

            def tcp(host, port):
                s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                s.settimeout(2)
                s.connect((host, port))
                s.sendall(b"escaped")

            def udp(host, port):
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                s.sendto(b"escaped", (host, port))

            def handle(event, cloudcall):
                # UDP has no handshake: a send to 127.0.0.1 "succeeds" on the sandbox's own
                # loopback. What matters is that the host's socket gets nothing.
                attempt(lambda: udp("127.0.0.1", event["udp"]))
                return {
                    "tcp loopback": attempt(lambda: tcp("127.0.0.1", event["tcp"])),
                    "tcp public": attempt(lambda: tcp("1.1.1.1", 80)),
                    "udp public": attempt(lambda: udp("8.8.8.8", 53)),
                    "tcp6 loopback": attempt(lambda: socket.create_connection(("::1", event["tcp"]), timeout=2)),
                    "dns": attempt(lambda: socket.getaddrinfo("example.com", 80)),
                }
            """,
            Payload(new { tcp = tcpPort, udp = udpPort }));

        AssertAllBlocked(OutcomeAssert.Ok(outcome));
        using var wait = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await udp.ReceiveAsync(wait.Token));
        Assert.False(accepted.IsCompleted, "the host's TCP listener accepted a connection");
    }

    [Fact]
    public async Task Files_ShadowHomeRootAndHostDataDirectory_AreInvisible()
    {
        using var data = new TempDirectory("faasten-hostdata");
        File.WriteAllText(data.Combine("secret.txt"), "the host's secret");

        var outcome = await sandbox.RunOnceAsync(
            """
            import os

            def attempt(fn):
                try:
                    return f"reached: {fn()!r}"[:200]
                except OSError as e:
                    return f"blocked: {e}"

            def handle(event, cloudcall):
                return {
                    "shadow": attempt(lambda: open("/etc/shadow").read()),
                    "passwd": attempt(lambda: open("/etc/passwd").read()),
                    "data file": attempt(lambda: open(event["data"] + "/secret.txt").read()),
                    "data dir": attempt(lambda: os.listdir(event["data"])),
                    "root home": attempt(lambda: os.listdir("/root")),
                    "home": attempt(lambda: os.listdir("/home")),
                    "work": attempt(lambda: os.listdir("/work")),
                    "host root via proc": attempt(lambda: os.listdir("/proc/1/root/root")),
                    "sys": attempt(lambda: os.listdir("/sys/fs/cgroup")),
                }
            """,
            Payload(new { data = data.Path }));

        AssertAllBlocked(OutcomeAssert.Ok(outcome));
    }

    [Fact]
    public async Task Files_WritesOutsideTmp_FailAndTmpIsSizeLimited()
    {
        var outcome = await sandbox.RunOnceAsync(
            """
            import os

            def attempt(fn):
                try:
                    fn()
                    return "reached"
                except OSError as e:
                    return f"blocked: {e}"

            def write(path):
                with open(path, "wb") as f:
                    f.write(b"x")

            def handle(event, cloudcall):
                results = {p: attempt(lambda p=p: write(p)) for p in [
                    "/escape", "/srv/escape", "/srv/workload.py", "/usr/escape", "/etc/escape",
                    "/runtime/escape", "/runtime/faasten_runtime/vm.py", "/dev/escape",
                    "/dev/shm/escape", "/run/faasten/escape", "/proc/escape", "/bin/escape",
                ]}
                results["mkdir /opt"] = attempt(lambda: os.mkdir("/opt"))
                write("/tmp/allowed")
                # /tmp is 8 MiB in these tests: 16 MiB must not fit.
                results["fill tmp"] = attempt(lambda: open("/tmp/big", "wb").write(b"x" * (16 << 20)))
                return results
            """);

        AssertAllBlocked(OutcomeAssert.Ok(outcome));
    }

    [Fact]
    public async Task Processes_HostProcessesAreInvisibleAndCannotBeSignalled()
    {
        var outcome = await sandbox.RunOnceAsync(
            """
            import os, signal

            def handle(event, cloudcall):
                pids = [int(p) for p in os.listdir("/proc") if p.isdigit()]
                cmdlines = []
                for pid in pids:
                    try:
                        cmdlines.append(open(f"/proc/{pid}/cmdline", "rb").read().replace(b"\0", b" ").decode())
                    except OSError:
                        pass
                try:
                    os.kill(event["host_pid"], signal.SIGKILL)
                    signalled = "reached"
                except OSError as e:
                    signalled = f"blocked: {e}"
                try:
                    os.kill(-1, signal.SIGKILL)  # every process we may signal: only our own namespace
                except OSError:
                    pass
                return {"pids": pids, "cmdlines": cmdlines, "signal": signalled, "uid": os.getuid()}
            """,
            Payload(new { host_pid = Environment.ProcessId }));

        var result = OutcomeAssert.Ok(outcome);
        var pids = result.GetProperty("pids").EnumerateArray().Select(p => p.GetInt32()).ToArray();
        Assert.DoesNotContain(Environment.ProcessId, pids);
        Assert.True(pids.Length <= 3, $"the sandbox sees {pids.Length} processes: {string.Join(", ", pids)}");
        foreach (var cmdline in result.GetProperty("cmdlines").EnumerateArray())
        {
            Assert.DoesNotContain("dotnet", cmdline.GetString(), StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("testhost", cmdline.GetString(), StringComparison.OrdinalIgnoreCase);
        }
        Assert.StartsWith("blocked", result.GetProperty("signal").GetString(), StringComparison.Ordinal);
        Assert.NotEqual(0, result.GetProperty("uid").GetInt32());
    }

    [Fact]
    public async Task ForkBomb_IsContainedByTheProcessLimit_AndTheVmIsKilled()
    {
        using var function = new FunctionDirectory(
            """
            import os

            def handle(event, cloudcall):
                while True:
                    try:
                        os.fork()
                    except OSError:
                        pass
            """);
        var vm = await sandbox.StartAsync(function);
        var cgroup = vm.Cgroup!;
        var seen = new HashSet<int>();
        long maxProcesses = 0, limitHits = 0;
        using var stop = new CancellationTokenSource();
        var monitor = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var pids = cgroup.Processes();
                seen.UnionWith(pids);
                maxProcesses = Math.Max(maxProcesses, pids.Count);
                limitHits = Math.Max(limitHits, cgroup.ProcessLimitHits());
                await Task.Delay(20);
            }
        });

        var outcome = await vm.InvokeAsync(SandboxFixture.Invocation("null", TimeSpan.FromSeconds(3)), new FakeKernel());
        await stop.CancelAsync();
        await monitor;

        Assert.Equal(InvocationStatus.Timeout, outcome.Status);
        Assert.True(limitHits > 0, "the bomb never hit the process limit");
        Assert.True(maxProcesses <= SandboxFixture.Options.MaxProcesses, $"{maxProcesses} processes at once");
        Assert.False(vm.IsIdle);
        Assert.All(seen, pid => Assert.False(Directory.Exists($"/proc/{pid}") && IsInCgroup(pid, cgroup.PidsDirectory), $"pid {pid} survived"));
        Assert.False(Directory.Exists(cgroup.PidsDirectory), "the VM's cgroup was not removed");
        // The host still forks fine.
        using var echo = Process.Start(new ProcessStartInfo("/bin/true"))!;
        await echo.WaitForExitAsync();
        Assert.Equal(0, echo.ExitCode);
    }

    [Fact]
    public async Task Memory_AllocatingPastTheLimit_EndsWithOutOfMemoryAndDestroysTheVm()
    {
        using var function = new FunctionDirectory(
            """
            def handle(event, cloudcall):
                hog = bytearray(512 * 1024 * 1024)
                return len(hog)
            """);
        var vm = await sandbox.StartAsync(function, memoryMb: 64);

        var outcome = await vm.InvokeAsync(SandboxFixture.Invocation("null"), new FakeKernel());

        Assert.Equal(InvocationStatus.OutOfMemory, outcome.Status);
        Assert.Contains("64 MiB", outcome.Message, StringComparison.Ordinal);
        Assert.False(vm.IsIdle);
        await Assert.ThrowsAsync<InvalidOperationException>(() => vm.InvokeAsync(SandboxFixture.Invocation("null"), new FakeKernel()).AsTask());
    }

    [Fact]
    public async Task Timeout_RunningPastTheLimit_EndsWithTimeoutAndNothingIsLeft()
    {
        using var function = new FunctionDirectory(
            """
            def handle(event, cloudcall):
                while True:
                    pass
            """);
        var vm = await sandbox.StartAsync(function);
        var pid = vm.ProcessId;
        var cgroup = vm.Cgroup!;

        var outcome = await vm.InvokeAsync(SandboxFixture.Invocation("null", TimeSpan.FromSeconds(1)), new FakeKernel());

        Assert.Equal(InvocationStatus.Timeout, outcome.Status);
        Assert.True(outcome.Elapsed >= TimeSpan.FromSeconds(1));
        Assert.False(vm.IsIdle);
        Assert.False(Directory.Exists($"/proc/{pid}") && !IsZombie(pid), "bwrap is still running");
        Assert.False(Directory.Exists(cgroup.PidsDirectory));
    }

    [Fact]
    public async Task Daemon_ChildStartedInItsOwnSession_DoesNotOutliveTheVm()
    {
        var marker = $"{Random.Shared.Next(100_000, 999_999)}.{Random.Shared.Next(1000, 9999)}";
        using var function = new FunctionDirectory(
            """
            import os

            def handle(event, cloudcall):
                # The pipe is close-on-exec: EOF means the grandchild is sleep by now.
                r, w = os.pipe()
                if os.fork() == 0:
                    os.setsid()
                    if os.fork() == 0:
                        os.execv("/usr/bin/sleep", ["sleep", event["marker"]])
                    os._exit(0)
                os.close(w)
                os.read(r, 1)
                os.wait()
                return "daemonized"
            """);
        var vm = await sandbox.StartAsync(function);

        var outcome = await vm.InvokeAsync(
            SandboxFixture.Invocation(Payload(new { marker })), new FakeKernel());
        Assert.Equal("daemonized", OutcomeAssert.Ok(outcome).GetString());
        Assert.NotEmpty(HostProcessesRunning("sleep " + marker));

        await vm.DisposeAsync();

        Assert.Empty(HostProcessesRunning("sleep " + marker));
    }

    private static List<int> HostProcessesRunning(string commandLine)
    {
        var found = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }
            try
            {
                var cmdline = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ').Trim();
                if (cmdline == commandLine && !IsZombie(pid))
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
            }
        }
        return found;
    }

    private static bool IsZombie(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (IOException)
        {
            return true;
        }
    }

    private static bool IsInCgroup(int pid, string cgroupDirectory)
    {
        try
        {
            var relative = cgroupDirectory["/sys/fs/cgroup/pids".Length..];
            return File.ReadAllText($"/proc/{pid}/cgroup").Contains(":pids:" + relative, StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }
}
