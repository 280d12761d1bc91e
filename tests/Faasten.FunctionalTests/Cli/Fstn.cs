using Faasten.FunctionalTests.Stack;

namespace Faasten.FunctionalTests.Cli;

/// <summary>The <c>fstn</c> executable, run as a user would, against the stack with one user's token.</summary>
internal sealed class Fstn(EmbeddedStack stack, string token, string home)
{
    public static async Task<Fstn> AsAsync(EmbeddedStack stack, string user, string home)
    {
        using var client = await stack.LoginAsync(user);
        return new Fstn(stack, client.DefaultRequestHeaders.Authorization!.Parameter!, home);
    }

    public Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] arguments) => RunWithAsync(null, arguments);

    public Task<(int ExitCode, string Stdout, string Stderr)> RunWithAsync(string? stdin, params string[] arguments) =>
        ProcessRun.RunAsync("fstn", arguments, stdin, new Dictionary<string, string>
        {
            ["FSTN_SERVER"] = stack.Server.Address.AbsoluteUri,
            ["FSTN_TOKEN"] = token,
            ["HOME"] = home,
            ["XDG_CONFIG_HOME"] = Path.Combine(home, "config"),
        });

    /// <summary>Runs and asserts the exit code, returning stdout (the error text on stderr joins the message).</summary>
    public async Task<string> ExpectAsync(int exitCode, params string[] arguments)
    {
        var (code, stdout, stderr) = await RunAsync(arguments);
        Assert.True(code == exitCode, $"fstn {string.Join(' ', arguments)}: exit {code}, expected {exitCode}\nstdout: {stdout}\nstderr: {stderr}");
        return exitCode == 0 ? stdout : stderr;
    }
}
