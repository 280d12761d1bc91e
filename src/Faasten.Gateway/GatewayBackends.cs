using Faasten.Fs;
using Faasten.Fs.Storage;
using Faasten.Gateway.Auth;
using Faasten.Protocol.Invocations;

namespace Faasten.Gateway;

/// <summary>
/// What the gateway serves over, supplied by the composition root: the metadata store (users,
/// quotas, deliveries), the labeled file system, the token signing key, and where invocations go.
/// </summary>
public sealed record GatewayBackends(
    IMetadataStore Metadata,
    FileSystem FileSystem,
    TokenSigningKey SigningKey,
    IInvoker Invoker,
    IInvocationResults Results);
