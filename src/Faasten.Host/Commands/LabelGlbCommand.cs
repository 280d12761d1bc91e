using System.CommandLine;

namespace Faasten.Host.Commands;

/// <summary><c>faasten label glb A B</c>: prints the greatest lower bound (A.S ∨ B.S, A.I ∧ B.I).</summary>
internal static class LabelGlbCommand
{
    private static readonly Argument<string> FirstArgument = new("a") { Description = "A label." };

    private static readonly Argument<string> SecondArgument = new("b") { Description = "Another label." };

    public static Command Create()
    {
        var command = new Command("glb", "Print the greatest lower bound (meet) of two labels: the highest label that flows to both.")
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
        output.WriteLine(a.Glb(b));
        return LabelExitCode.Success;
    }
}
