using Faasten.Labels;

namespace Faasten.Protocol.Invocations;

/// <summary>
/// One request to run a gate, as the gateway, the event server and a running function's
/// <c>invoke</c> make it. Labels stay labels inside a process; <see cref="InvocationWire"/>
/// turns the request into <c>faasten.v1.InvokeRequest</c> only where it leaves one.
/// </summary>
public sealed record InvocationRequest
{
    /// <summary>Unique per invocation; the key under which an async result is fetched.</summary>
    public required string Id { get; init; }

    /// <summary>
    /// From the authenticated caller, the trigger, or the calling function's privilege. The
    /// worker authorizes it against the gate's clearance; nothing before it looks.
    /// </summary>
    public required Component InvokerPrivilege { get; init; }

    public required string GatePath { get; init; }

    /// <summary>The JSON payload; empty means <c>None</c>.</summary>
    public ReadOnlyMemory<byte> Payload { get; init; }

    public required Label PayloadLabel { get; init; }

    /// <summary>True: the caller waits for the reply. False: it gets Pending and the id to poll.</summary>
    public bool Sync { get; init; } = true;

    /// <summary>
    /// How deep in a chain of function-to-function calls (0 from outside). A sync request with a
    /// depth comes from a running function whose slot waits on it.
    /// </summary>
    public int Depth { get; init; }

    /// <summary>When it was first queued (set by whoever queues it first); null when unknown.</summary>
    public DateTimeOffset? Queued { get; init; }
}
