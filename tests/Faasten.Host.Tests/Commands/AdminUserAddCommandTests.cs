using Faasten.Host.Commands;
using Faasten.Tests.Common;

namespace Faasten.Host.Tests.Commands;

/// <summary><c>faasten admin useradd</c>: an existing user is a conflict, unless <c>--exist-ok</c> says it is the point.</summary>
public sealed class AdminUserAddCommandTests : IDisposable
{
    private readonly TempDirectory _data = new("fadmin");

    [Fact]
    public async Task UserAdd_Twice_ConflictsUnlessExistOk()
    {
        Assert.Equal(AdminExitCode.Success, await AddAsync("first-password", existOk: false));

        var (conflict, _, error) = await RunAsync("other-password", existOk: false);
        Assert.Equal(AdminExitCode.Conflict, conflict);
        Assert.Contains("already exists", error, StringComparison.Ordinal);

        var (kept, output, _) = await RunAsync("other-password", existOk: true);
        Assert.Equal(AdminExitCode.Success, kept);
        Assert.Equal("user alice already exists; kept as it is", output.Trim());
    }

    [Fact]
    public async Task UserAdd_ExistOk_StillRefusesBadInput()
    {
        var (code, _, error) = await RunAsync("", existOk: true);
        Assert.Equal(AdminExitCode.BadInput, code);
        Assert.Contains("the password (first line of stdin) is empty", error, StringComparison.Ordinal);
    }

    public void Dispose() => _data.Dispose();

    private async Task<AdminExitCode> AddAsync(string password, bool existOk) => (await RunAsync(password, existOk)).Code;

    private async Task<(AdminExitCode Code, string Output, string Error)> RunAsync(string password, bool existOk)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await AdminUserAddCommand.RunAsync(new StringReader(password + "\n"), interactive: false, output, error, "alice", _data.Path, default, existOk);
        return (code, output.ToString(), error.ToString());
    }
}
