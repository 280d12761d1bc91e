using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Faasten.Protocol.Invocations;
using Faasten.Sandbox.Channel;
using Faasten.Sandbox.Vm;

namespace Faasten.Sandbox.Bubblewrap;

/// <summary>
/// A parked runtime (faasten_runtime/template.py) that forks pre-initialized VMs: one sandbox
/// per <see cref="TemplateKey"/>, launched like a fresh VM but keeping the capabilities its
/// children need to isolate themselves, and running only the runtime and the system modules the
/// workload imports, never the function's own code.
/// </summary>
/// <remarks>
/// <para>The control channel carries fork requests and nothing else: no payload, no CloudCall
/// and no invocation ever reaches a template (there is no method for it), so no template ever
/// holds data.</para>
/// <para>A fork: the host listens on a fresh socket in the template's directory and names it to
/// the template; the child connects twice (channel, then console). SO_PEERCRED names the
/// child's host pid, which must belong to this template's cgroup; the host moves it into the new
/// VM's memory and pids cgroups and only then answers one byte, before which the child runs
/// nothing of the function. Children live in the template's sandbox, so a template is destroyed
/// only once it has no children left (<see cref="Retire"/>).</para>
/// </remarks>
internal sealed class VmTemplate : IAsyncDisposable
{
    private const byte Placed = 1;
    private const int MaxLine = 64;

    private readonly Process _process;
    private readonly Socket _control;
    private readonly string _directory;
    private readonly VmCgroup _cgroup;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _forkLock = new(1, 1);
    private readonly Lock _lock = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<int?>> _exits = new();
    private readonly Task _reader;
    private int _children;
    private int _nextSocket;
    private bool _retired;
    private bool _broken;
    private Task? _destruction;

    private VmTemplate(TemplateKey key, Process process, Socket control, string directory, VmCgroup cgroup, ConsoleTail console, TimeProvider time)
    {
        Key = key;
        _process = process;
        _control = control;
        _directory = directory;
        _cgroup = cgroup;
        Console = console;
        _time = time;
        LastUsed = time.GetTimestamp();
        _reader = ReadReportsAsync();
    }

    public TemplateKey Key { get; }

    /// <summary>Memory the template's own cgroup may use (counted like a VM's).</summary>
    public int MemoryMb => Key.MemoryMb;

    /// <summary>Host pid of the template's launcher (then bwrap).</summary>
    internal int ProcessId => _process.Id;

    internal VmCgroup Cgroup => _cgroup;

    /// <summary>Tests and diagnostics only (the template never runs function code, but still).</summary>
    internal ConsoleTail Console { get; }

    /// <summary>Timestamp of the last fork (or of the start).</summary>
    public long LastUsed { get; private set; }

    public int Children
    {
        get
        {
            lock (_lock)
            {
                return _children;
            }
        }
    }

    /// <summary>Alive, not retired, and never failed a fork.</summary>
    public bool IsUsable
    {
        get
        {
            lock (_lock)
            {
                return !_retired && !_broken && !_process.HasExited;
            }
        }
    }

    public static async Task<VmTemplate> StartAsync(
        BubblewrapOptions options, VmSpec spec, string directory, VmCgroup cgroup, TimeProvider time, CancellationToken cancellationToken)
    {
        var listener = new ChannelListener(directory);
        Process? process = null;
        ConsoleTail? console = null;
        try
        {
            process = await ProcessLauncher.StartAsync(SandboxCommand.Create(options, spec, directory, cgroup, template: true)).ConfigureAwait(false);
            console = new ConsoleTail(process.StandardOutput.BaseStream);
            using var timeout = new CancellationTokenSource(options.StartTimeout, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            var exited = process.WaitForExitAsync(CancellationToken.None);
            var accept = listener.AcceptSocketAsync(linked.Token).AsTask();
            if (await Task.WhenAny(accept, exited).ConfigureAwait(false) != accept)
            {
                throw await FailureAsync(process, console, "exited before it connected").ConfigureAwait(false);
            }
            var control = await accept.ConfigureAwait(false);
            try
            {
                var ready = await ReadLineAsync(control, linked.Token).ConfigureAwait(false);
                if (ready is null || !ready.StartsWith("ready ", StringComparison.Ordinal))
                {
                    throw await FailureAsync(process, console, $"answered '{ready}' instead of ready").ConfigureAwait(false);
                }
                return new VmTemplate(TemplateKey.Of(spec), process, control, directory, cgroup, console, time);
            }
            catch
            {
                control.Dispose();
                throw;
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && process is not null && console is not null)
        {
            await KillAsync(process, cgroup).ConfigureAwait(false);
            throw new VmStartException(InvocationStatus.Timeout, $"The VM template was not ready within {options.StartTimeout.TotalSeconds:0.###} s.");
        }
        catch
        {
            if (process is not null)
            {
                await KillAsync(process, cgroup).ConfigureAwait(false);
            }
            throw;
        }
        finally
        {
            listener.Dispose();
        }
    }

    /// <summary>
    /// Forks a child into <paramref name="cgroup"/> (made by the caller for the new VM). The
    /// child counts in <see cref="Children"/> from now on, failed or not, until <see cref="Release"/>.
    /// </summary>
    /// <exception cref="VmStartException">The template did not produce the child in time; it is then broken.</exception>
    public async ValueTask<ForkedChild> ForkAsync(VmCgroup cgroup, TimeSpan timeout, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_retired || _broken)
            {
                throw new VmStartException(InvocationStatus.Crashed, "The VM template is no longer in use.");
            }
            _children++;
            LastUsed = _time.GetTimestamp();
        }

        var name = $"f{(uint)Interlocked.Increment(ref _nextSocket) % 0x1000000:x6}.sock";
        Socket? channel = null, console = null;
        try
        {
            using var listener = new ForkListener(Path.Combine(_directory, name));
            using var limit = new CancellationTokenSource(timeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, limit.Token);
            await _forkLock.WaitAsync(linked.Token).ConfigureAwait(false);
            try
            {
                await _control.SendAsync(Encoding.ASCII.GetBytes($"fork {name}\n"), SocketFlags.None, linked.Token).ConfigureAwait(false);
            }
            finally
            {
                _forkLock.Release();
            }
            channel = await listener.AcceptAsync(linked.Token).ConfigureAwait(false);
            console = await listener.AcceptAsync(linked.Token).ConfigureAwait(false);
            var pid = PeerProcessId(channel);
            if (PeerProcessId(console) != pid || !_cgroup.Processes().Contains(pid) || PidInTemplate(pid) is not int inner)
            {
                throw new VmStartException(InvocationStatus.Crashed, "A process that is not the template's child answered a fork.");
            }
            var exit = _exits.GetOrAdd(inner, static _ => NewExit()).Task; // before the child may run, so before it may exit
            cgroup.Enter(pid);
            await channel.SendAsync(new[] { Placed }, SocketFlags.None, linked.Token).ConfigureAwait(false);
            return new ForkedChild(pid, new NetworkStream(channel, ownsSocket: true), new NetworkStream(console, ownsSocket: true), Forget(inner, exit));
        }
        catch (Exception ex)
        {
            channel?.Dispose();
            console?.Dispose();
            if (ex is OperationCanceledException && cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            MarkBroken();
            throw ex as VmStartException ?? new VmStartException(InvocationStatus.Crashed, $"The VM template failed to fork: {ex.Message}", ex);
        }
    }

    private async Task<int?> Forget(int inner, Task<int?> exit)
    {
        var code = await exit.ConfigureAwait(false);
        _exits.TryRemove(inner, out _);
        return code;
    }

    private static TaskCompletionSource<int?> NewExit() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Reads the template's reports ("exit PID CODE" for each child that ended) until it hangs
    /// up; then no child of it is left either (they live in its PID namespace).
    /// </summary>
    private async Task ReadReportsAsync()
    {
        var buffer = new byte[4096];
        var line = new StringBuilder();
        try
        {
            while (true)
            {
                var read = await _control.ReceiveAsync(buffer, SocketFlags.None).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }
                foreach (var b in buffer.AsSpan(0, read))
                {
                    if (b != (byte)'\n')
                    {
                        if (line.Length < MaxLine)
                        {
                            line.Append((char)b);
                        }
                        continue;
                    }
                    var parts = line.ToString().Split(' ');
                    line.Clear();
                    if (parts is ["exit", var pidText, var codeText]
                        && int.TryParse(pidText, CultureInfo.InvariantCulture, out var pid)
                        && int.TryParse(codeText, CultureInfo.InvariantCulture, out var code))
                    {
                        // Only children the host placed are waited for (a child that failed
                        // before that is nobody's VM); a stale entry could meet a reused pid.
                        if (_exits.TryGetValue(pid, out var exit))
                        {
                            exit.TrySetResult(code);
                        }
                    }
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }
        MarkBroken();
        foreach (var exit in _exits.Values)
        {
            exit.TrySetResult(null);
        }
    }

    /// <summary>The pid of host process <paramref name="pid"/> in the template's PID namespace
    /// (the next-to-last NSpid entry: the last is 1, in the child's own namespace).</summary>
    private static int? PidInTemplate(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("NSpid:", StringComparison.Ordinal))
                {
                    var fields = line[6..].Split(['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
                    return fields.Length >= 3 && fields[^1] == "1"
                        && int.TryParse(fields[^2], CultureInfo.InvariantCulture, out var inner)
                        ? inner : null;
                }
            }
        }
        catch (IOException)
        {
        }
        return null;
    }

    /// <summary>A child of this template was destroyed.</summary>
    public void Release()
    {
        lock (_lock)
        {
            _children--;
        }
    }

    /// <summary>No more forks; the caller destroys the template once <see cref="Children"/> is 0.</summary>
    public void Retire()
    {
        lock (_lock)
        {
            _retired = true;
        }
    }

    public ValueTask DisposeAsync()
    {
        lock (_lock)
        {
            _retired = true;
            _destruction ??= DestroyAsync();
        }
        return new ValueTask(_destruction);
    }

    private void MarkBroken()
    {
        lock (_lock)
        {
            _broken = true;
        }
    }

    private async Task DestroyAsync()
    {
        _control.Dispose();
        await KillAsync(_process, _cgroup).ConfigureAwait(false);
        await _reader.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        for (var attempt = 0; attempt < 50 && !_cgroup.TryDelete(); attempt++)
        {
            await Task.Delay(10).ConfigureAwait(false);
        }
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
        _process.Dispose();
        _forkLock.Dispose();
    }

    private static async Task KillAsync(Process process, VmCgroup cgroup)
    {
        try
        {
            process.Kill();
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
        }
        await cgroup.KillAllAsync().ConfigureAwait(false);
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private static async Task<VmStartException> FailureAsync(Process process, ConsoleTail console, string what)
    {
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await console.Completion.WaitAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        var text = console.ToString().Trim();
        if (text.Length > 2000)
        {
            text = "…" + text[^2000..];
        }
        return new VmStartException(InvocationStatus.Crashed, $"The VM template {what}: {text}");
    }

    private static async ValueTask<string?> ReadLineAsync(Socket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxLine];
        var length = 0;
        while (length < MaxLine)
        {
            var read = await socket.ReceiveAsync(buffer.AsMemory(length, 1), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return null;
            }
            if (buffer[length] == (byte)'\n')
            {
                return Encoding.ASCII.GetString(buffer, 0, length);
            }
            length++;
        }
        return null;
    }

    /// <summary>The host pid of the process at the other end (struct ucred { pid, uid, gid }).</summary>
    private static int PeerProcessId(Socket socket)
    {
        const int SolSocket = 1, SoPeerCred = 17;
        Span<byte> credentials = stackalloc byte[12];
        socket.GetRawSocketOption(SolSocket, SoPeerCred, credentials);
        return BitConverter.ToInt32(credentials[..4]);
    }
}
