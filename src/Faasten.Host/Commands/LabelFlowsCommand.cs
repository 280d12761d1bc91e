using System.CommandLine;
using Faasten.Labels;

namespace Faasten.Host.Commands;

/// <summary><c>faasten label flows A B [--privilege P]</c>: prints true/false, exits 0/1.</summary>
internal static class LabelFlowsCommand
{
    private static readonly Argument<string> FromArgument = new("from") { Description = "The label data has now." };

    private static readonly Argument<string> ToArgument = new("to") { Description = "The label it would flow to." };

    private static readonly Option<string> PrivilegeOption = new("--privilege", "-p")
    {
        Description = "A privilege (a component) that may declassify and endorse on the way.",
    };

    public static Command Create()
    {
        var command = new Command("flows", "Print whether data labeled FROM may flow to TO (FROM ⊑ TO, or FROM ⊑_P TO with --privilege); exit 0 if so, 1 if not.")
        {
            FromArgument,
            ToArgument,
            PrivilegeOption,
        };
        command.SetAction(parseResult => (int)Run(
            parseResult.InvocationConfiguration.Output,
            parseResult.InvocationConfiguration.Error,
            parseResult.GetRequiredValue(FromArgument),
            parseResult.GetRequiredValue(ToArgument),
            parseResult.GetValue(PrivilegeOption)));
        return command;
    }

    public static LabelExitCode Run(TextWriter output, TextWriter error, string from, string to, string? privilege)
    {
        if (!LabelInput.TryParseLabel(error, "from", from, out var a) || !LabelInput.TryParseLabel(error, "to", to, out var b))
        {
            return LabelExitCode.BadInput;
        }
        Component? p = null;
        if (privilege is not null && !LabelInput.TryParseComponent(error, "privilege", privilege, out p))
        {
            return LabelExitCode.BadInput;
        }
        var flows = p is null ? a.CanFlowTo(b) : a.CanFlowTo(b, p);
        output.WriteLine(flows ? "true" : "false");
        return flows ? LabelExitCode.Success : LabelExitCode.NoFlow;
    }
}
