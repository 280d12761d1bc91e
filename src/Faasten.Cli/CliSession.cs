using Faasten.Cli.Http;

namespace Faasten.Cli;

/// <summary>What a command handler works with: the terminal, a client for the resolved server, and the output format.</summary>
internal sealed record CliSession(CliConsole Console, FaastenClient Client, bool Json)
{
    public ExitCode Report(ApiError error) => error.Report(Console, Json);
}
