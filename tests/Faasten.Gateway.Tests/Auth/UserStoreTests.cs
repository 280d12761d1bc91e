using Faasten.Fs.Storage;
using Faasten.Gateway.Auth;
using Faasten.Tests.Common;

namespace Faasten.Gateway.Tests.Auth;

public sealed class UserStoreTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new("faasten-users");
    private SqliteMetadataStore _metadata = null!;

    public Task InitializeAsync()
    {
        _metadata = SqliteMetadataStore.Open(_dir.Combine("metadata.db"));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _metadata.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task Create_StoresAHash_NeverThePassword()
    {
        var users = new UserStore(_metadata);
        Assert.True(await users.CreateAsync("alice", "pa55word-alice"));
        var raw = System.Text.Encoding.UTF8.GetString((await _metadata.GetAsync("user/alice"))!.Value.Value);
        Assert.DoesNotContain("pa55word-alice", raw, StringComparison.Ordinal);
        Assert.Contains("passwordHash", raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_RightAndWrongPasswords()
    {
        var users = new UserStore(_metadata);
        await users.CreateAsync("bob", "right");
        Assert.Equal("bob", (await users.VerifyAsync("bob", "right"))?.Name);
        Assert.Null(await users.VerifyAsync("bob", "wrong"));
        Assert.Null(await users.VerifyAsync("nobody", "right"));
        Assert.Null(await users.VerifyAsync("../etc", "right"));
    }

    [Fact]
    public async Task Create_Twice_IsFalse()
    {
        var users = new UserStore(_metadata);
        Assert.True(await users.CreateAsync("carol", "one"));
        Assert.False(await users.CreateAsync("carol", "two"));
        Assert.NotNull(await users.VerifyAsync("carol", "one"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("T")]
    [InlineData("F")]
    [InlineData("a/b")]
    [InlineData("a:b")]
    [InlineData("a b")]
    [InlineData("ünïcode")]
    public void UserNames_RejectsWhatIsNotAPlainPrincipal(string name)
    {
        Assert.NotNull(UserNames.Check(name));
    }

    [Theory]
    [InlineData("alice")]
    [InlineData("Bob_2")]
    [InlineData("dev.ops-1")]
    public void UserNames_AcceptsPlainNames(string name)
    {
        Assert.Null(UserNames.Check(name));
        Assert.Equal(name, UserNames.Privilege(name).ToString());
    }
}
