using System.CommandLine;
using Faasten.Labels;

namespace Faasten.Host.Commands;

/// <summary><c>faasten label parse TEXT [--component]</c>: prints the canonical form.</summary>
internal static class LabelParseCommand
{
    private static readonly Argument<string> TextArgument = new("text")
    {
        Description = "A label 'secrecy,integrity' (or a component with --component), e.g. 'alice|bob,alice'.",
    };

    private static readonly Option<bool> ComponentOption = new("--component", "-c")
    {
        Description = "Parse a single component (a privilege or clearance) instead of a label.",
    };

    public static Command Create()
    {
        var command = new Command("parse", "Print the canonical form of a label, or where it is malformed.")
        {
            TextArgument,
            ComponentOption,
        };
        command.SetAction(parseResult => (int)Run(
            parseResult.InvocationConfiguration.Output,
            parseResult.InvocationConfiguration.Error,
            parseResult.GetRequiredValue(TextArgument),
            parseResult.GetValue(ComponentOption)));
        return command;
    }

    public static LabelExitCode Run(TextWriter output, TextWriter error, string text, bool component)
    {
        if (component)
        {
            if (!LabelInput.TryParseComponent(error, "component", text, out var c))
            {
                return LabelExitCode.BadInput;
            }
            output.WriteLine(c);
            return LabelExitCode.Success;
        }
        if (!LabelInput.TryParseLabel(error, "label", text, out var label))
        {
            return LabelExitCode.BadInput;
        }
        output.WriteLine(label);
        return LabelExitCode.Success;
    }
}
