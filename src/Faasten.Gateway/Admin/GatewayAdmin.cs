using Faasten.Fs;
using Faasten.Fs.Storage;
using Faasten.Gateway.Auth;
using Faasten.Labels;

namespace Faasten.Gateway.Admin;

/// <summary>
/// Operator tasks (<c>faasten admin</c>): adding users and minting tokens, on the stores and
/// signing key the caller opened.
/// </summary>
public static class GatewayAdmin
{
    /// <summary>Creates the user record and the home facets <c>home:&lt;U,U&gt;</c> and <c>home:&lt;T,U&gt;</c>.</summary>
    public static async Task<AdminResult> AddUserAsync(IMetadataStore metadata, FileSystem fs, string name, string password, CancellationToken ct)
    {
        if (UserNames.Check(name) is { } badName)
        {
            return new AdminResult(AdminStatus.BadInput, badName);
        }

        if (string.IsNullOrEmpty(password))
        {
            return new AdminResult(AdminStatus.BadInput, "the password is empty");
        }

        if (!await new UserStore(metadata).CreateAsync(name, password, ct).ConfigureAwait(false))
        {
            return new AdminResult(AdminStatus.Exists, $"user '{name}' already exists");
        }

        // Idempotent: facets that exist stay as they are.
        var homes = await fs.AddUserAsync(new SecurityContext(Component.False), name, ct).ConfigureAwait(false);
        return homes.IsOk
            ? new AdminResult(AdminStatus.Ok, $"added user '{name}' with home facets <{name},{name}> and <T,{name}>")
            : new AdminResult(AdminStatus.BadInput, $"user '{name}' was stored but the home facets failed: {homes.Message}");
    }

    /// <summary>
    /// A bearer token for an existing user. The privilege defaults to the user's principal; the
    /// operator, who holds the signing key anyway, may name any privilege.
    /// </summary>
    public static async Task<AdminResult> IssueTokenAsync(IMetadataStore metadata, TokenSigningKey key, GatewayOptions options, string name, string? privilege, long? ttlSeconds, TimeProvider time, CancellationToken ct)
    {
        if (await new UserStore(metadata).FindAsync(name, ct).ConfigureAwait(false) is null)
        {
            return new AdminResult(AdminStatus.NotFound, $"no user '{name}' (add one with: faasten admin useradd {name})");
        }

        var granted = UserNames.Privilege(name);
        if (privilege is not null)
        {
            if (!Component.TryParse(privilege, out var parsed, out var error))
            {
                return new AdminResult(AdminStatus.BadInput, $"bad privilege: {error.Message}");
            }

            granted = parsed;
        }

        var lifetime = options.TokenLifetime;
        if (ttlSeconds is { } ttl)
        {
            if (ttl <= 0 || ttl > options.MaxTokenLifetime.TotalSeconds)
            {
                return new AdminResult(AdminStatus.BadInput, $"--ttl must be 1–{(long)options.MaxTokenLifetime.TotalSeconds} seconds");
            }

            lifetime = TimeSpan.FromSeconds(ttl);
        }

        var token = new TokenService(key, time).Issue(name, granted, lifetime);
        return new AdminResult(AdminStatus.Ok, $"token for '{name}' with privilege {granted}, expires {token.Expires:O}", token.Token, token.Expires);
    }
}
