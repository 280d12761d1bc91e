namespace Faasten.Queue.Nats;

/// <summary>How gateways and workers use NATS JetStream as the invocation queue (DESIGN §8).</summary>
public sealed record NatsQueueOptions
{
    /// <summary>The server, e.g. nats://nats:4222 (credentials, if any, in the URL or NATS_* files).</summary>
    public required string Url { get; init; }

    /// <summary>The durable work-queue stream of invocation requests.</summary>
    public string Stream { get; init; } = "FAASTEN_INVOCATIONS";

    /// <summary>The subject requests are published to (the stream's only subject).</summary>
    public string Subject { get; init; } = "faasten.invoke";

    /// <summary>
    /// Nested sync calls from running functions: plain request–reply to a queue group of every
    /// worker, served outside the slot limit because the caller's slot is lent while it waits.
    /// </summary>
    public string NestedSubject { get; init; } = "faasten.nested";

    /// <summary>
    /// Prefix of the subjects sync replies come back on: each gateway (and worker, for its
    /// functions' async-free calls) listens on PREFIX.&lt;random&gt;.&lt;invocation id&gt;.
    /// </summary>
    public string ReplySubject { get; init; } = "faasten.reply";

    /// <summary>The durable pull consumer every worker shares; each request goes to one worker.</summary>
    public string Consumer { get; init; } = "faasten-workers";

    /// <summary>Requests the stream holds (waiting or running); one more is answered QueueFull.</summary>
    public int Capacity { get; init; } = 1024;

    /// <summary>
    /// How long a request may go unacknowledged before another worker gets it. A live worker
    /// extends it while the invocation runs (in-progress acks every third of it), so this bounds
    /// only how long a dead worker's requests wait.
    /// </summary>
    public TimeSpan AckWait { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Deliveries of one request before it is dropped (a request that keeps killing workers).</summary>
    public int MaxDeliver { get; init; } = 5;

    /// <summary>Longest a gateway waits for a sync reply before answering Timeout.</summary>
    public TimeSpan ReplyTimeout { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Every problem with these options; empty when usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!Uri.TryCreate(Url, UriKind.Absolute, out var url) || url.Scheme is not ("nats" or "tls" or "ws" or "wss"))
        {
            errors.Add($"Url '{Url}' is not a nats:// (or tls://) URL");
        }

        if (Capacity < 1)
        {
            errors.Add("Capacity must be at least 1");
        }

        if (AckWait < TimeSpan.FromSeconds(1))
        {
            errors.Add("AckWait must be at least 1s");
        }

        if (MaxDeliver < 1)
        {
            errors.Add("MaxDeliver must be at least 1");
        }

        if (ReplyTimeout <= TimeSpan.Zero)
        {
            errors.Add("ReplyTimeout must be positive");
        }

        return errors;
    }
}
