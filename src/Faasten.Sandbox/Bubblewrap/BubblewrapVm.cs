using System.Buffers;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text.Json;
using Faasten.Protocol;
using Faasten.Protocol.Framing;
using Faasten.Protocol.Invocations;
using Faasten.Sandbox.Channel;
using Faasten.Sandbox.Vm;
using ProtoInvocationResult = Faasten.Protocol.V1.InvocationResult;

namespace Faasten.Sandbox.Bubblewrap;

/// <summary>One bubblewrap sandbox: a process tree in its own namespaces and cgroups, and its channel.</summary>
internal sealed class BubblewrapVm : IVm
{
    private const int Starting = 0, Idle = 1, Busy = 2, Destroyed = 3;
    private static readonly TimeSpan ExitGrace = TimeSpan.FromSeconds(5);

    private readonly VmProcess _process;
    private readonly string? _directory;
    private readonly Func<CancellationToken, ValueTask<Stream>> _connect;
    private readonly TimeProvider _time;
    private readonly Action<BubblewrapVm> _onDestroyed;
    private readonly CancellationTokenSource _exited = new();
    private readonly Lock _destroyLock = new();
    private readonly Task _exitedTask;
    private ChannelListener? _listener;
    private GuestChannel? _channel;
    private int _state = Starting;
    private Task? _destruction;

    /// <summary>A fresh VM: its launched process tree and the listener its runtime connects to.</summary>
    public BubblewrapVm(
        string id,
        VmSpec spec,
        Process process,
        ChannelListener listener,
        VmCgroup? cgroup,
        TimeProvider time,
        Action<BubblewrapVm> onDestroyed)
        : this(id, spec, VmProcess.Launched(process), cgroup, time, onDestroyed, listener.AcceptAsync, listener.Directory)
    {
        _listener = listener;
    }

    /// <summary>A VM forked from a template: its runtime's pid, console and already connected channel.</summary>
    public BubblewrapVm(
        string id,
        VmSpec spec,
        ForkedChild child,
        VmCgroup cgroup,
        TimeProvider time,
        Action<BubblewrapVm> onDestroyed)
        : this(id, spec, VmProcess.Forked(child), cgroup, time, onDestroyed, _ => ValueTask.FromResult(child.Channel), null)
    {
        Forked = true;
    }

    private BubblewrapVm(
        string id,
        VmSpec spec,
        VmProcess process,
        VmCgroup? cgroup,
        TimeProvider time,
        Action<BubblewrapVm> onDestroyed,
        Func<CancellationToken, ValueTask<Stream>> connect,
        string? directory)
    {
        Id = id;
        Spec = spec;
        _process = process;
        _connect = connect;
        _directory = directory;
        Cgroup = cgroup;
        _time = time;
        _onDestroyed = onDestroyed;
        Console = process.Console;
        _exitedTask = WatchExitAsync();
    }

    public string Id { get; }

    public VmSpec Spec { get; }

    public bool IsIdle => Volatile.Read(ref _state) == Idle;

    /// <summary>Whether this VM was forked from a template (else launched fresh).</summary>
    internal bool Forked { get; }

    /// <summary>Host pid of the launcher (then bwrap) process, or of a forked VM's runtime.</summary>
    internal int ProcessId => _process.Id;

    internal VmCgroup? Cgroup { get; }

    /// <summary>The last few KiB the VM printed. May hold function data: tests and diagnostics only.</summary>
    internal ConsoleTail Console { get; }

    /// <summary>Accepts the runtime's connection and waits for its Hello.</summary>
    public async ValueTask WaitReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timeoutSource = new CancellationTokenSource(timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token, _exited.Token);
        try
        {
            var stream = await _connect(linked.Token).ConfigureAwait(false);
            _listener = null;
            _channel = new GuestChannel(stream);
            if (await _channel.ReadHelloAsync(linked.Token).ConfigureAwait(false) is null)
            {
                throw await StartFailureAsync(null).ConfigureAwait(false);
            }
            Volatile.Write(ref _state, Idle);
        }
        catch (OperationCanceledException) when (timeoutSource.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new VmStartException(InvocationStatus.Timeout, $"VM {Id} was not ready within {timeout.TotalSeconds:0.###} s.");
        }
        catch (OperationCanceledException) when (_exited.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw await StartFailureAsync(null).ConfigureAwait(false);
        }
        catch (ProtocolException ex)
        {
            throw new VmStartException(InvocationStatus.Crashed, $"VM {Id} broke the protocol while starting: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is IOException or SocketException)
        {
            throw await StartFailureAsync(ex).ConfigureAwait(false);
        }
    }

    public async ValueTask<InvocationOutcome> InvokeAsync(
        VmInvocation request,
        ICloudCallHandler handler,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(handler);
        if (request.Payload.Length > FrameLimits.MaxFrameSize - 1024 - request.Env.Sum(static v => (v.Key.Length + v.Value.Length) * 3 + 8))
        {
            throw new ArgumentException($"Payload of {request.Payload.Length} bytes exceeds the channel's frame limit.", nameof(request));
        }
        var previous = Interlocked.CompareExchange(ref _state, Busy, Idle);
        if (previous != Idle)
        {
            throw new InvalidOperationException(previous == Destroyed ? $"VM {Id} was destroyed." : $"VM {Id} is busy.");
        }

        var started = _time.GetTimestamp();
        var callsBefore = _channel!.CloudCalls;
        using var timeout = new CancellationTokenSource(request.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        InvocationOutcome outcome;
        try
        {
            var result = await _channel.InvokeAsync(request.Payload, handler, linked.Token, request.Env, request.LogLimit).ConfigureAwait(false);
            outcome = result is null ? await DiedAsync().ConfigureAwait(false) : WithLogs(FromResult(result), result, request.LogLimit);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            outcome = new InvocationOutcome(
                InvocationStatus.Timeout, default, $"The function ran past its {request.Timeout.TotalSeconds:0.###} s limit.");
        }
        catch (OperationCanceledException)
        {
            await DestroyAsync().ConfigureAwait(false);
            throw;
        }
        catch (ProtocolException ex)
        {
            outcome = new InvocationOutcome(InvocationStatus.Crashed, default, $"The VM broke the protocol: {ex.Message}");
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            outcome = await DiedAsync().ConfigureAwait(false);
        }

        if (outcome.Status is InvocationStatus.Ok or InvocationStatus.FunctionError)
        {
            Interlocked.CompareExchange(ref _state, Idle, Busy);
        }
        else
        {
            await DestroyAsync().ConfigureAwait(false);
        }
        return outcome with
        {
            Elapsed = _time.GetElapsedTime(started),
            CloudCalls = (int)(_channel.CloudCalls - callsBefore),
        };
    }

    public async ValueTask DisposeAsync() => await DestroyAsync().ConfigureAwait(false);

    /// <summary>Kills the whole VM and waits until nothing of it is left. Idempotent.</summary>
    private Task DestroyAsync()
    {
        lock (_destroyLock)
        {
            Volatile.Write(ref _state, Destroyed);
            return _destruction ??= DestroyCoreAsync();
        }
    }

    private async Task DestroyCoreAsync()
    {
        // Killing bwrap is enough on its own: --die-with-parent kills the sandbox's init, and the
        // kernel then kills everything in its PID namespace. The cgroup sweep is the proof.
        _process.Kill(entireProcessTree: Cgroup is null);
        if (Cgroup is not null)
        {
            await Cgroup.KillAllAsync().ConfigureAwait(false);
        }
        await _exitedTask.WaitAsync(ExitGrace).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

        if (_channel is not null)
        {
            await _channel.DisposeAsync().ConfigureAwait(false);
        }
        _listener?.Dispose();
        if (Cgroup is not null)
        {
            // The kernel frees a cgroup a moment after its last task is reaped.
            for (var attempt = 0; attempt < 50 && !Cgroup.TryDelete(); attempt++)
            {
                await Task.Delay(10).ConfigureAwait(false);
            }
        }
        if (_directory is not null)
        {
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
        _process.Dispose();
        _onDestroyed(this);
    }

    private async Task WatchExitAsync()
    {
        await _process.Exited.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _exited.CancelAsync().ConfigureAwait(false);
    }

    /// <summary>The guest hung up mid-invocation: out of memory, or crashed.</summary>
    private async ValueTask<InvocationOutcome> DiedAsync()
    {
        // Let the process finish dying so the cgroup's OOM counter is final.
        await _exitedTask.WaitAsync(ExitGrace).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (Cgroup?.OomKilled() == true)
        {
            return new InvocationOutcome(
                InvocationStatus.OutOfMemory, default, $"The function exceeded its {Spec.MemoryMb} MiB memory limit.");
        }
        return new InvocationOutcome(InvocationStatus.Crashed, default, $"The VM's runtime died{_process.ExitDescription}.");
    }

    private async ValueTask<VmStartException> StartFailureAsync(Exception? inner)
    {
        await _exitedTask.WaitAsync(ExitGrace).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await Console.Completion.WaitAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        var status = Cgroup?.OomKilled() == true ? InvocationStatus.OutOfMemory : InvocationStatus.Crashed;
        var exit = !_process.HasExited ? "hung up" : _process.ExitDescription is { Length: > 0 } code ? $"exited{code}" : "exited";
        var console = Console.ToString().Trim();
        if (console.Length > 2000)
        {
            console = "…" + console[^2000..];
        }
        return new VmStartException(status, $"VM {Id} {exit} before it was ready: {console}", inner);
    }

    /// <summary>The guest's logs, cut to the limit here too: the runtime in the VM is the function's to subvert.</summary>
    private static InvocationOutcome WithLogs(InvocationOutcome outcome, ProtoInvocationResult result, int limit)
    {
        if (result.Logs.IsEmpty && !result.LogsTruncated)
        {
            return outcome;
        }

        var bytes = result.Logs.Span;
        var truncated = result.LogsTruncated || bytes.Length > limit;
        if (bytes.Length > limit)
        {
            bytes = bytes[..Math.Max(0, limit)];
        }

        // Invalid UTF-8 (or a character cut at the limit) becomes U+FFFD.
        return outcome with { Logs = System.Text.Encoding.UTF8.GetString(bytes), LogsTruncated = truncated };
    }

    private InvocationOutcome FromResult(ProtoInvocationResult result)
    {
        if (result.OutcomeCase == ProtoInvocationResult.OutcomeOneofCase.Value)
        {
            return new InvocationOutcome(InvocationStatus.Ok, result.Value.Memory, null);
        }
        var error = result.Error ?? new Protocol.V1.FunctionError { Type = "Unknown", Message = "The runtime reported no outcome." };
        if (error.OutOfMemory)
        {
            return new InvocationOutcome(
                InvocationStatus.OutOfMemory, default, $"The function exceeded its {Spec.MemoryMb} MiB memory limit (MemoryError).");
        }

        var body = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(body))
        {
            json.WriteStartObject();
            json.WriteString("error", error.Type);
            json.WriteString("message", error.Message);
            json.WriteString("traceback", error.Traceback);
            json.WriteEndObject();
        }
        return new InvocationOutcome(InvocationStatus.FunctionError, body.WrittenMemory, $"The function raised {error.Type}.");
    }
}
