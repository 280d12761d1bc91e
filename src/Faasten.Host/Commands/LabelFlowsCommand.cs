using System.CommandLine;
using Faasten.Labels;

namespace Faasten.Host.Commands;

/// <summary><c>faasten label flows A B [--privilege P] [--explain]</c>: prints true/false (and, with --explain, the clause that fails), exits 0/1.</summary>
internal static class LabelFlowsCommand
{
    private static readonly Argument<string> FromArgument = new("from") { Description = "The label data has now." };

    private static readonly Argument<string> ToArgument = new("to") { Description = "The label it would flow to." };

    private static readonly Option<string> PrivilegeOption = new("--privilege", "-p")
    {
        Description = "A privilege (a component) that may declassify and endorse on the way.",
    };

    private static readonly Option<bool> ExplainOption = new("--explain")
    {
        Description = "When it does not flow, name the clause that fails, for secrecy and for integrity.",
    };

    public static Command Create()
    {
        var command = new Command("flows", "Print whether data labeled FROM may flow to TO (FROM ⊑ TO, or FROM ⊑_P TO with --privilege); exit 0 if so, 1 if not.")
        {
            FromArgument,
            ToArgument,
            PrivilegeOption,
            ExplainOption,
        };
        command.SetAction(parseResult => (int)Run(
            parseResult.InvocationConfiguration.Output,
            parseResult.InvocationConfiguration.Error,
            parseResult.GetRequiredValue(FromArgument),
            parseResult.GetRequiredValue(ToArgument),
            parseResult.GetValue(PrivilegeOption),
            parseResult.GetValue(ExplainOption)));
        return command;
    }

    public static LabelExitCode Run(TextWriter output, TextWriter error, string from, string to, string? privilege, bool explain = false)
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
        if (explain && !flows)
        {
            foreach (var reason in FlowExplanation.Explain(a, b, p))
            {
                output.WriteLine(reason);
            }
        }

        return flows ? LabelExitCode.Success : LabelExitCode.NoFlow;
    }
}
