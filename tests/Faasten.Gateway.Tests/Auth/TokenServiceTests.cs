using Faasten.Gateway.Auth;
using Faasten.Gateway.Tests.TestSupport;
using Faasten.Labels;
using Faasten.Tests.Common;

namespace Faasten.Gateway.Tests.Auth;

public sealed class TokenServiceTests
{
    private readonly ManualTimeProvider _clock = new();
    private readonly TokenService _tokens;

    public TokenServiceTests() => _tokens = new TokenService(new TokenSigningKey(new byte[64]), _clock);

    [Fact]
    public async Task Validate_IssuedToken_ReturnsUserPrivilegeAndExpiry()
    {
        var issued = _tokens.Issue("alice", Component.Parse("alice/pma"), TimeSpan.FromMinutes(5));
        var (caller, reason) = await _tokens.ValidateAsync(issued.Token);
        Assert.Null(reason);
        Assert.Equal(new Caller("alice", Component.Parse("alice/pma"), _clock.GetUtcNow().AddMinutes(5)), caller);
    }

    [Fact]
    public async Task Validate_AtExpiry_IsExpired()
    {
        var issued = _tokens.Issue("alice", Component.Parse("alice"), TimeSpan.FromMinutes(5));
        _clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal((null, "expired"), await _tokens.ValidateAsync(issued.Token));
    }

    [Fact]
    public async Task Validate_AValidatedToken_StillExpiresAtItsTime()
    {
        var issued = _tokens.Issue("alice", Component.Parse("alice"), TimeSpan.FromMinutes(5));
        Assert.Null((await _tokens.ValidateAsync(issued.Token)).Reason); // now known valid
        _clock.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromTicks(1));
        Assert.Null((await _tokens.ValidateAsync(issued.Token)).Reason);
        _clock.Advance(TimeSpan.FromTicks(1));

        Assert.Equal((null, "expired"), await _tokens.ValidateAsync(issued.Token));
        Assert.Equal((null, "expired"), await _tokens.ValidateAsync(issued.Token));
    }

    [Fact]
    public async Task Validate_AFloodOfDistinctValidTokens_AllStayValid_AndATamperedOneIsRejected()
    {
        var tokens = Enumerable.Range(0, 5_000).Select(i => _tokens.Issue($"u{i}", Component.Parse($"u{i}"), TimeSpan.FromHours(1)).Token).ToList();
        foreach (var token in tokens)
        {
            Assert.Null((await _tokens.ValidateAsync(token)).Reason); // past the cache's bound: it empties, nothing breaks
        }

        var first = tokens[0];
        Assert.Equal(Component.Parse("u0"), (await _tokens.ValidateAsync(first)).Caller!.Privilege);
        var tampered = first[..^2] + (first[^2] == 'A' ? "B" : "A") + first[^1];
        Assert.Null((await _tokens.ValidateAsync(tampered)).Caller);
    }

    [Fact]
    public async Task Validate_OtherKey_IsRejected()
    {
        var other = new TokenService(new TokenSigningKey(Enumerable.Repeat((byte)1, 64).ToArray()), _clock);
        var (caller, reason) = await _tokens.ValidateAsync(other.Issue("alice", Component.False, TimeSpan.FromHours(1)).Token);
        Assert.Null(caller);
        Assert.NotNull(reason);
    }

    [Theory]
    [InlineData("")]
    [InlineData("x")]
    [InlineData("a.b.c")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9.eyJ4IjoxfQ.AAAA")]
    public async Task Validate_Garbage_IsRejected(string token)
    {
        Assert.Null((await _tokens.ValidateAsync(token)).Caller);
    }

    [Fact]
    public async Task Validate_HugeToken_IsRejectedWithoutParsing()
    {
        Assert.Equal((null, "token too long"), await _tokens.ValidateAsync(new string('a', 100_000)));
    }

    [Fact]
    public void SigningKey_TooShort_Throws()
    {
        Assert.Throws<ArgumentException>(() => new TokenSigningKey(new byte[16]));
    }

    [Fact]
    public void SigningKey_CreatedOnce_OwnerOnly_AndReused()
    {
        using var dir = new Faasten.Tests.Common.TempDirectory("faasten-key");
        var first = TokenSigningKey.LoadOrCreate(dir.Path);
        var second = TokenSigningKey.LoadOrCreate(dir.Path);
        Assert.Equal(first.Key, second.Key);
        Assert.Equal(64, first.Key.Length);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dir.Path, TokenSigningKey.FileName)));
        }

        Assert.Single(Directory.GetFiles(dir.Path));
    }
}
