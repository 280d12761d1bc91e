using System.Collections.Concurrent;
using Faasten.Labels;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Faasten.Gateway.Auth;

/// <summary>
/// Issues and checks bearer tokens: HS256-signed JWTs whose <c>fpriv</c> claim is the privilege
/// (a component in label syntax) and whose <c>sub</c> is the user. Expiry is judged against the
/// injected <see cref="TimeProvider"/> with no clock skew: one process signs and checks.
/// </summary>
internal sealed class TokenService
{
    public const string PrivilegeClaim = "fpriv";
    private const string Issuer = "faasten";
    private const string Audience = "faasten";

    // A real token is a few hundred characters; anything huge is garbage and not worth parsing.
    private const int MaxTokenChars = 8 * 1024;

    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly SigningCredentials _credentials;
    private readonly TokenValidationParameters _validation;
    private readonly TimeProvider _time;

    // Tokens found valid, by their exact text, until they expire: a client sends the same bearer
    // token with every request, and checking its signature and claims again each time was the
    // largest share of the gateway's own work per call. Only valid tokens are kept; the cache is
    // emptied when it fills, so a flood of distinct tokens costs validations, never memory.
    private const int MaxCachedTokens = 4_096;
    private readonly ConcurrentDictionary<string, Caller> _valid = new(StringComparer.Ordinal);

    public TokenService(TokenSigningKey key, TimeProvider time)
    {
        var securityKey = new SymmetricSecurityKey(key.Key);
        _credentials = new SigningCredentials(securityKey, SecurityAlgorithms.HmacSha256);
        _time = time;
        _validation = new TokenValidationParameters
        {
            IssuerSigningKey = securityKey,
            ValidIssuer = Issuer,
            ValidAudience = Audience,
            ValidateIssuerSigningKey = true,
            RequireSignedTokens = true,
            // Pinned so that a token cannot pick its own algorithm ("none", or RSA with the HMAC key).
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            RequireExpirationTime = true,
            // Checked below against the injected clock instead of the library's.
            ValidateLifetime = false,
        };
    }

    public IssuedToken Issue(string? user, Component privilege, TimeSpan lifetime)
    {
        var now = _time.GetUtcNow();
        // JWT times are whole seconds; report exactly what the token says.
        var expires = DateTimeOffset.FromUnixTimeSeconds((now + lifetime).ToUnixTimeSeconds());
        var claims = new Dictionary<string, object> { [PrivilegeClaim] = privilege.ToString() };
        if (user is not null)
        {
            claims[JwtRegisteredClaimNames.Sub] = user;
        }

        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            Claims = claims,
            SigningCredentials = _credentials,
        };
        return new IssuedToken(_handler.CreateToken(descriptor), privilege, expires);
    }

    /// <summary>The caller a token stands for, or null with a reason (for the log, never for the client).</summary>
    public async ValueTask<(Caller? Caller, string? Reason)> ValidateAsync(string token)
    {
        if (token.Length > MaxTokenChars)
        {
            return (null, "token too long");
        }

        if (_valid.TryGetValue(token, out var known))
        {
            if (_time.GetUtcNow() < known.Expires)
            {
                return (known, null);
            }

            _valid.TryRemove(token, out _); // and validated again below, which says why it fails
        }

        var result = await _handler.ValidateTokenAsync(token, _validation).ConfigureAwait(false);
        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt)
        {
            return (null, result.Exception?.GetType().Name ?? "invalid token");
        }

        var now = _time.GetUtcNow();
        if (jwt.ValidTo == DateTime.MinValue || now >= new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero))
        {
            return (null, "expired");
        }

        if (jwt.ValidFrom != DateTime.MinValue && now < new DateTimeOffset(jwt.ValidFrom, TimeSpan.Zero))
        {
            return (null, "not yet valid");
        }

        if (!jwt.TryGetPayloadValue<string>(PrivilegeClaim, out var text) || !Component.TryParse(text, out var privilege, out _))
        {
            return (null, "missing or malformed privilege claim");
        }

        var user = string.IsNullOrEmpty(jwt.Subject) ? null : jwt.Subject;
        var caller = new Caller(user, privilege, new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero));
        if (_valid.Count >= MaxCachedTokens)
        {
            _valid.Clear();
        }

        _valid[token] = caller;
        return (caller, null);
    }
}
