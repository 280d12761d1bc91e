using System.Security.Cryptography;
using System.Text;
using Faasten.Fs.Objects;

namespace Faasten.Gateway.Events;

/// <summary>
/// The webhook deliveries accepted within <see cref="WebhookReplayOptions.Window"/>, bounded by
/// <see cref="WebhookReplayOptions.MaxDeliveries"/> (oldest forgotten first). Only deliveries whose
/// signature verified are recorded, so nobody without the secret can use up ids.
/// </summary>
/// <remarks>
/// A delivery is keyed by what its trigger does (secret, gate, privilege, payload label) and its
/// id, not by the path it was sent to: another spelling of the same trigger's path is the same
/// trigger, and two triggers alike in all of these would run the same thing anyway. The key is
/// a hash, so the log holds no secrets.
/// </remarks>
internal sealed class DeliveryLog(GatewayOptions options, TimeProvider time)
{
    private readonly WebhookReplayOptions _options = options.WebhookReplay;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, LinkedListNode<Seen>> _seen = new(StringComparer.Ordinal);
    private readonly LinkedList<Seen> _order = new(); // oldest first: every entry lives for the same window

    /// <summary>
    /// Records the delivery; false when it was recorded before within the window (a replay).
    /// A claim whose delivery then fails is handed back with <see cref="Forget"/>, so the sender
    /// may redeliver it.
    /// </summary>
    public bool TryClaim(Trigger trigger, string deliveryId, out LinkedListNode<Seen>? claim)
    {
        var key = KeyOf(trigger, deliveryId);
        var now = time.GetUtcNow();
        lock (_lock)
        {
            while (_order.First is { } oldest && oldest.Value.Expires <= now)
            {
                Remove(oldest);
            }

            if (_seen.ContainsKey(key))
            {
                claim = default;
                return false;
            }

            while (_seen.Count >= _options.MaxDeliveries)
            {
                Remove(_order.First!);
            }

            var node = _order.AddLast(new Seen(key, now + _options.Window));
            _seen.Add(key, node);
            claim = node;
            return true;
        }
    }

    /// <summary>Forgets a claimed delivery that was not accepted after all.</summary>
    public void Forget(LinkedListNode<Seen>? claim)
    {
        lock (_lock)
        {
            // Unless it expired or was pushed out meanwhile (and maybe claimed anew: not ours to drop).
            if (claim is { List: not null } node)
            {
                Remove(node);
            }
        }
    }

    private void Remove(LinkedListNode<Seen> node)
    {
        _seen.Remove(node.Value.Key);
        _order.Remove(node);
    }

    private static string KeyOf(Trigger trigger, string deliveryId)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var part in (ReadOnlySpan<string>)[trigger.Secret, trigger.GatePath, trigger.Privilege.ToString(), trigger.PayloadLabel.ToString(), deliveryId])
        {
            var bytes = Encoding.UTF8.GetBytes(part);
            sha.AppendData(BitConverter.GetBytes(bytes.Length)); // length-prefixed: parts cannot run into each other
            sha.AppendData(bytes);
        }

        return Convert.ToHexString(sha.GetHashAndReset());
    }

    internal sealed record Seen(string Key, DateTimeOffset Expires);
}
