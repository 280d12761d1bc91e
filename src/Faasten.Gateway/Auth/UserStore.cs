using System.Text.Json;
using Faasten.Fs.Storage;
using Faasten.Gateway.Json;
using Microsoft.AspNetCore.Identity;

namespace Faasten.Gateway.Auth;

/// <summary>
/// Users in the metadata store under <c>user/&lt;name&gt;</c>, passwords hashed with ASP.NET Core
/// Identity's <see cref="PasswordHasher{TUser}"/> (PBKDF2, salted, versioned format).
/// </summary>
internal sealed class UserStore(IMetadataStore store)
{
    private const string KeyPrefix = "user/";

    private static readonly PasswordHasher<UserRecord> Hasher = new();

    // Verified when the user does not exist, so a wrong name costs the same time as a wrong password.
    private static readonly Lazy<string> DummyHash = new(() => Hasher.HashPassword(new UserRecord("", ""), "not a password"));

    /// <summary>False when the user already exists.</summary>
    public async ValueTask<bool> CreateAsync(string name, string password, CancellationToken ct = default)
    {
        if (UserNames.Check(name) is { } error)
        {
            throw new ArgumentException(error, nameof(name));
        }

        var record = new UserRecord(name, Hasher.HashPassword(new UserRecord(name, ""), password));
        return await store.InsertIfAbsentAsync(KeyPrefix + name, Encode(record), ct).ConfigureAwait(false);
    }

    public async ValueTask<UserRecord?> FindAsync(string name, CancellationToken ct = default)
    {
        if (UserNames.Check(name) is not null)
        {
            return null;
        }

        var stored = await store.GetAsync(KeyPrefix + name, ct).ConfigureAwait(false);
        return stored is { } v ? JsonSerializer.Deserialize(v.Value, GatewayJsonContext.Default.UserRecord) : null;
    }

    /// <summary>The user when the password matches; rehashes transparently when the hasher's parameters moved on.</summary>
    public async ValueTask<UserRecord?> VerifyAsync(string name, string password, CancellationToken ct = default)
    {
        var user = await FindAsync(name, ct).ConfigureAwait(false);
        if (user is null)
        {
            Hasher.VerifyHashedPassword(new UserRecord("", ""), DummyHash.Value, password);
            return null;
        }

        switch (Hasher.VerifyHashedPassword(user, user.PasswordHash, password))
        {
            case PasswordVerificationResult.Success:
                return user;
            case PasswordVerificationResult.SuccessRehashNeeded:
                var rehashed = user with { PasswordHash = Hasher.HashPassword(user, password) };
                await store.PutAsync(KeyPrefix + name, Encode(rehashed), ct).ConfigureAwait(false);
                return rehashed;
            default:
                return null;
        }
    }

    private static byte[] Encode(UserRecord record) => JsonSerializer.SerializeToUtf8Bytes(record, GatewayJsonContext.Default.UserRecord);
}
