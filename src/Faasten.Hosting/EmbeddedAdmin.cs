using Faasten.Fs.Collection;
using Faasten.Gateway;
using Faasten.Gateway.Admin;
using Faasten.Gateway.Auth;

namespace Faasten.Hosting;

/// <summary>
/// <see cref="GatewayAdmin"/> on a data directory. It opens the same SQLite file as a running
/// server (WAL admits both) and the same signing key.
/// </summary>
public static class EmbeddedAdmin
{
    /// <summary>Creates the user record and the home facets <c>home:&lt;U,U&gt;</c> and <c>home:&lt;T,U&gt;</c>.</summary>
    public static async Task<AdminResult> AddUserAsync(string? dataDirectory, string name, string password, CancellationToken ct = default)
    {
        var data = DataDirectory.Create(dataDirectory);
        await using var stores = await EmbeddedStores.OpenAsync(data, ct).ConfigureAwait(false);
        return await GatewayAdmin.AddUserAsync(stores.Metadata, stores.FileSystem, name, password, ct).ConfigureAwait(false);
    }

    /// <summary>A bearer token for an existing user (see <see cref="GatewayAdmin.IssueTokenAsync"/>).</summary>
    /// <param name="signingKeyFile">The server's <c>tokens.signingKeyFile</c>, when its configuration names one; otherwise the key in the data directory.</param>
    public static async Task<AdminResult> IssueTokenAsync(string? dataDirectory, string name, string? privilege, long? ttlSeconds, GatewayOptions? options = null, TimeProvider? time = null, string? signingKeyFile = null, CancellationToken ct = default)
    {
        var data = DataDirectory.Create(dataDirectory);
        await using var stores = await EmbeddedStores.OpenAsync(data, ct).ConfigureAwait(false);
        var key = signingKeyFile is null ? TokenSigningKey.LoadOrCreate(data.Root) : TokenSigningKey.LoadOrCreateFile(signingKeyFile);
        return await GatewayAdmin.IssueTokenAsync(stores.Metadata, key, options ?? new GatewayOptions(), name, privilege, ttlSeconds, time ?? TimeProvider.System, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// One garbage collection over the data directory's stores, safe beside a running server
    /// (the collector's barrier and the blob store's lock hold across processes).
    /// </summary>
    public static async Task<(AdminResult Result, CollectionReport? Report)> CollectGarbageAsync(string? dataDirectory, TimeSpan grace, CancellationToken ct = default)
    {
        var options = new CollectorOptions { Grace = grace };
        if (options.Validate() is { Count: > 0 } errors)
        {
            return (new AdminResult(AdminStatus.BadInput, string.Join(" ", errors)), null);
        }

        var data = DataDirectory.Create(dataDirectory);
        await using var stores = await EmbeddedStores.OpenAsync(data, ct).ConfigureAwait(false);
        var report = await new GarbageCollector(stores.FileSystem, options).CollectAsync(ct).ConfigureAwait(false);
        return (new AdminResult(AdminStatus.Ok, report.ToString()), report);
    }
}
