using System.CommandLine;

namespace Faasten.Host.Commands;

/// <summary><c>faasten label downgrade LABEL PRIVILEGE</c>: prints downgrade(LABEL, PRIVILEGE).</summary>
internal static class LabelDowngradeCommand
{
    private static readonly Argument<string> LabelArgument = new("label") { Description = "The label to downgrade." };

    private static readonly Argument<string> PrivilegeArgument = new("privilege")
    {
        Description = "The privilege (a component), e.g. a gate's declassify component.",
    };

    public static Command Create()
    {
        var command = new Command("downgrade", "Print downgrade(LABEL, PRIVILEGE): secrecy drops the clauses PRIVILEGE implies, integrity gains PRIVILEGE.")
        {
            LabelArgument,
            PrivilegeArgument,
        };
        command.SetAction(parseResult => (int)Run(
            parseResult.InvocationConfiguration.Output,
            parseResult.InvocationConfiguration.Error,
            parseResult.GetRequiredValue(LabelArgument),
            parseResult.GetRequiredValue(PrivilegeArgument)));
        return command;
    }

    public static LabelExitCode Run(TextWriter output, TextWriter error, string label, string privilege)
    {
        if (!LabelInput.TryParseLabel(error, "label", label, out var l)
            || !LabelInput.TryParseComponent(error, "privilege", privilege, out var p))
        {
            return LabelExitCode.BadInput;
        }
        output.WriteLine(l.Downgrade(p));
        return LabelExitCode.Success;
    }
}
