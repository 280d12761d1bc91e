using Faasten.Fs;
using Faasten.Fs.Records;
using Faasten.Fs.Storage;
using Faasten.Gateway.Auth;
using Faasten.Gateway.Health;
using Faasten.Protocol.Invocations;

namespace Faasten.Gateway;

/// <summary>
/// What the gateway serves over, supplied by the composition root: the metadata store (users,
/// quotas, deliveries), the labeled file system, the token signing key, where invocations go,
/// and where their records are read.
/// </summary>
public sealed record GatewayBackends(
    IMetadataStore Metadata,
    FileSystem FileSystem,
    TokenSigningKey SigningKey,
    IInvoker Invoker,
    IInvocationResults Results)
{
    /// <summary>Invocation records, logs and trails; null when this gateway has none to show (every such request is 404).</summary>
    public InvocationRecords? Records { get; init; }

    /// <summary>What <c>/readyz</c> probes beside the metadata store (blobs, the queue).</summary>
    public IReadOnlyList<ReadinessCheck> Readiness { get; init; } = [];
}
