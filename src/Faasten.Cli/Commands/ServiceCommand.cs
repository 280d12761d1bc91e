using System.CommandLine;
using Faasten.Cli.Http;
using Faasten.Cli.Output;

namespace Faasten.Cli.Commands;

/// <summary>
/// <c>fstn service create|update PATH --url U --taint L --privilege P --clearance C [--verb V]
/// [--header 'Name: value']... [--label L]</c> and <c>fstn service show PATH</c>.
/// </summary>
internal static class ServiceCommand
{
    private static readonly Argument<string> PathArgument = FsPathArgument.Create("path", "The service, e.g. '~:weather'.");

    private static readonly Option<string> UrlOption = new("--url")
    {
        Description = "The endpoint's URL template; {name} placeholders are filled from the call's parameters.",
        Required = true,
    };

    private static readonly Option<string> TaintOption = new("--taint")
    {
        Description = "The label of everything that crosses the service, e.g. 'alice,T'. Your privilege must imply its secrecy.",
        Required = true,
    };

    private static readonly Option<string> PrivilegeOption = new("--privilege") { Description = "The service's privilege.", Required = true };

    private static readonly Option<string> ClearanceOption = new("--clearance") { Description = "What a caller's privilege must imply to use it.", Required = true };

    private static readonly Option<string?> VerbOption = new("--verb") { Description = "The HTTP method (default GET)." };

    private static readonly Option<string[]> HeaderOption = new("--header")
    {
        Description = "A fixed header 'Name: value' sent with every call; repeat for more. Values are never shown back.",
        Arity = ArgumentArity.ZeroOrMore,
        AllowMultipleArgumentsPerToken = false,
    };

    private static readonly Option<string?> LabelOption = new("--label") { Description = "The service's label when it is created (default: the server's)." };

    public static Command Create(CliHost host)
    {
        var command = new Command("service", "Create, update and show services (external HTTP endpoints).")
        {
            Write(host, "create", "Create a service.", update: false),
            Write(host, "update", "Update a service's endpoint, headers and policy (its label never changes).", update: true),
        };
        var show = new Command("show", "Show a service (header names only).") { PathArgument };
        show.SetAction((parseResult, cancellationToken) => host.RunAsync(parseResult, async session =>
        {
            var path = parseResult.GetRequiredValue(PathArgument);
            if (FsPathArgument.Check(path) is { } bad)
            {
                return session.Report(bad);
            }
            var result = await session.Client.GetServiceAsync(path, cancellationToken);
            return result.IsSuccess ? Fields.Print(session, result.Value) : session.Report(result.Error);
        }));
        command.Subcommands.Add(show);
        return command;
    }

    private static Command Write(CliHost host, string name, string description, bool update)
    {
        var command = new Command(name, description)
        {
            PathArgument, UrlOption, TaintOption, PrivilegeOption, ClearanceOption, VerbOption, HeaderOption, LabelOption,
        };
        command.SetAction((parseResult, cancellationToken) => host.RunAsync(parseResult, async session =>
        {
            var path = parseResult.GetRequiredValue(PathArgument);
            var (taint, privilege, clearance, label) = (parseResult.GetRequiredValue(TaintOption), parseResult.GetRequiredValue(PrivilegeOption),
                parseResult.GetRequiredValue(ClearanceOption), parseResult.GetValue(LabelOption));
            if ((FsPathArgument.Check(path)
                ?? LabelSyntax.CheckLabel("--taint", taint)
                ?? LabelSyntax.CheckComponent("--privilege", privilege)
                ?? LabelSyntax.CheckComponent("--clearance", clearance)
                ?? LabelSyntax.CheckLabel("--label", label)) is { } bad)
            {
                return session.Report(bad);
            }
            if (EnvArguments.TryParse(parseResult.GetValue(HeaderOption) ?? [], out var headers, "--header", ':') is { } badHeader)
            {
                return session.Report(badHeader);
            }
            if (update && label is not null)
            {
                return session.Report(ApiError.BadInput("--label applies on creation only: labels never change", "usage"));
            }
            var request = new ServiceRequest(path, parseResult.GetRequiredValue(UrlOption), parseResult.GetValue(VerbOption), headers, taint, privilege, clearance, label);
            var result = await session.Client.PutServiceAsync(request, update, cancellationToken);
            return result.IsSuccess ? Done.Print(session, update ? "updated service" : "created service", path) : session.Report(result.Error);
        }));
        return command;
    }
}
