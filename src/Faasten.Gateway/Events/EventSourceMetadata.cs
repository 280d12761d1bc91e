namespace Faasten.Gateway.Events;

/// <summary>
/// Marks event-server endpoints: their senders are outside parties, so the request runs
/// anonymously (privilege T, public label) whatever Authorization or label headers it carries.
/// </summary>
internal sealed class EventSourceMetadata
{
    public static EventSourceMetadata Instance { get; } = new();
}
