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
    public static async Task<AdminResult> IssueTokenAsync(string? dataDirectory, string name, string? privilege, long? ttlSeconds, GatewayOptions? options = null, TimeProvider? time = null, CancellationToken ct = default)
    {
        var data = DataDirectory.Create(dataDirectory);
        await using var stores = await EmbeddedStores.OpenAsync(data, ct).ConfigureAwait(false);
        return await GatewayAdmin.IssueTokenAsync(stores.Metadata, TokenSigningKey.LoadOrCreate(data.Root), options ?? new GatewayOptions(), name, privilege, ttlSeconds, time ?? TimeProvider.System, ct).ConfigureAwait(false);
    }
}
