using System.CommandLine;

namespace Faasten.Host.Commands;

/// <summary><c>faasten label lub A B</c>: prints the least upper bound (A.S ∧ B.S, A.I ∨ B.I).</summary>
internal static class LabelLubCommand
{
    private static readonly Argument<string> FirstArgument = new("a") { Description = "A label." };

    private static readonly Argument<string> SecondArgument = new("b") { Description = "Another label." };

    public static Command Create()
    {
        var command = new Command("lub", "Print the least upper bound (join) of two labels: what data derived from both carries.")
        {
            FirstArgument,
            SecondArgument,
        };
        command.SetAction(parseResult => (int)Run(
            parseResult.InvocationConfiguration.Output,
            parseResult.InvocationConfiguration.Error,
            parseResult.GetRequiredValue(FirstArgument),
            parseResult.GetRequiredValue(SecondArgument)));
        return command;
    }

    public static LabelExitCode Run(TextWriter output, TextWriter error, string first, string second)
    {
        if (!LabelInput.TryParseLabel(error, "a", first, out var a) || !LabelInput.TryParseLabel(error, "b", second, out var b))
        {
            return LabelExitCode.BadInput;
        }
        output.WriteLine(a.Lub(b));
        return LabelExitCode.Success;
    }
}
