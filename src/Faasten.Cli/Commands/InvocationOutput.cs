using System.Text.Json.Nodes;
using Faasten.Cli.Http;
using Faasten.Cli.Output;

namespace Faasten.Cli.Commands;

/// <summary>How <c>invoke</c> and <c>result</c> print a function's reply.</summary>
internal static class InvocationOutput
{

    public static ExitCode Print(CliSession session, InvocationReply reply, string? label)
    {
        var output = session.Console.Out;
        if (reply.Id is not null)
        {
            output.WriteLine(session.Json
                ? new JsonObject { ["id"] = reply.Id }.ToJsonString()
                : $"submitted invocation {reply.Id}; fetch its result with: fstn result {reply.Id}");
            return ExitCode.Success;
        }
        if (reply.Pending)
        {
            output.WriteLine(session.Json ? new JsonObject { ["status"] = "pending" }.ToJsonString() : "pending");
            return ExitCode.Success;
        }

        var result = JsonNode.Parse(reply.ResultJson!);
        if (session.Json)
        {
            // The label says who may see this result: worth keeping for scripts.
            output.WriteLine(new JsonObject { ["result"] = result, ["label"] = label }.ToJsonString(JsonOutput.Compact));
        }
        else
        {
            output.WriteLine(result is null ? "null" : result.ToJsonString(JsonOutput.Indented));
        }
        return ExitCode.Success;
    }
}
