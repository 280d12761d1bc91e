using System.CommandLine;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Faasten.Cli.Http;
using Faasten.Cli.Output;

namespace Faasten.Cli.Commands;

/// <summary>
/// <c>fstn trigger create PATH --gate G --privilege P --payload-label L [--secret S] [--label L]</c>:
/// creates a webhook trigger and prints the hook URL to configure at the sender (and the
/// secret, when it generated one: it is not shown again).
/// </summary>
internal static class TriggerCommand
{
    private static readonly Argument<string> PathArgument = FsPathArgument.Create("path", "The trigger, e.g. 'home:<T,alice>:on-push' (senders are anonymous: it must be public to read).");

    private static readonly Option<string> GateOption = new("--gate") { Description = "The gate each delivery invokes.", Required = true };

    private static readonly Option<string> PrivilegeOption = new("--privilege")
    {
        Description = "The privilege deliveries invoke with. Your privilege must imply it.",
        Required = true,
    };

    private static readonly Option<string> PayloadLabelOption = new("--payload-label")
    {
        Description = "The label of delivered payloads, e.g. 'T,T'.",
        Required = true,
    };

    private static readonly Option<string?> SecretOption = new("--secret")
    {
        Description = "The webhook secret the sender signs with (default: a new random one, printed once).",
    };

    private static readonly Option<string?> LabelOption = new("--label") { Description = "The trigger's label (default: the server's)." };

    public static Command Create(CliHost host)
    {
        var create = new Command("create", "Create a webhook trigger and print its hook URL.")
        {
            PathArgument, GateOption, PrivilegeOption, PayloadLabelOption, SecretOption, LabelOption,
        };
        create.SetAction((parseResult, cancellationToken) => host.RunAsync(parseResult, async session =>
        {
            var (path, gate, privilege, payloadLabel, label) = (parseResult.GetRequiredValue(PathArgument), parseResult.GetRequiredValue(GateOption),
                parseResult.GetRequiredValue(PrivilegeOption), parseResult.GetRequiredValue(PayloadLabelOption), parseResult.GetValue(LabelOption));
            if ((FsPathArgument.Check(path)
                ?? FsPathArgument.Check(gate)
                ?? LabelSyntax.CheckComponent("--privilege", privilege)
                ?? LabelSyntax.CheckLabel("--payload-label", payloadLabel)
                ?? LabelSyntax.CheckLabel("--label", label)) is { } bad)
            {
                return session.Report(bad);
            }
            var given = parseResult.GetValue(SecretOption);
            if (given is { Length: 0 })
            {
                return session.Report(ApiError.BadInput("--secret must not be empty", "usage"));
            }
            var secret = given ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
            var result = await session.Client.CreateTriggerAsync(new TriggerRequest(path, secret, gate, privilege, payloadLabel, label), cancellationToken);
            if (!result.IsSuccess)
            {
                return session.Report(result.Error);
            }

            var url = session.Client.HookUrl(path).AbsoluteUri;
            if (session.Json)
            {
                var json = new JsonObject { ["path"] = path, ["url"] = url };
                if (given is null)
                {
                    json["secret"] = secret;
                }
                session.Console.Out.WriteLine(json.ToJsonString(JsonOutput.Compact));
                return ExitCode.Success;
            }
            session.Console.Out.WriteLine($"created trigger {path}");
            session.Console.Out.WriteLine($"hook URL: {url}");
            if (given is null)
            {
                session.Console.Out.WriteLine($"secret: {secret}  (configure it at the sender; it is not shown again)");
            }
            return ExitCode.Success;
        }));
        return new Command("trigger", "Create webhook triggers.") { create };
    }
}
