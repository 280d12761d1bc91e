using System.Text.Json.Nodes;
using Faasten.Cli.Output;

namespace Faasten.Cli.Commands;

/// <summary>The confirmation of a command that changes one path: a line for people, <c>{"path"}</c> for scripts.</summary>
internal static class Done
{
    public static ExitCode Print(CliSession session, string what, string path)
    {
        session.Console.Out.WriteLine(session.Json ? new JsonObject { ["path"] = path }.ToJsonString() : $"{what} {path}");
        return ExitCode.Success;
    }
}
