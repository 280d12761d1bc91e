using System.CommandLine;
using Faasten.Labels;

namespace Faasten.Host.Commands;

/// <summary>
/// <c>faasten label lub A B</c> (A.S ∧ B.S, A.I ∨ B.I) and <c>faasten label glb A B</c>
/// (A.S ∨ B.S, A.I ∧ B.I): two labels in, the canonical result out.
/// </summary>
internal static class LabelLatticeCommand
{
    private static readonly Argument<string> FirstArgument = new("a") { Description = "A label." };

    private static readonly Argument<string> SecondArgument = new("b") { Description = "Another label." };

    public static Command CreateLub() =>
        Create("lub", "Print the least upper bound (join) of two labels: what data derived from both carries.", Lub);

    public static Command CreateGlb() =>
        Create("glb", "Print the greatest lower bound (meet) of two labels: the highest label that flows to both.", Glb);

    public static LabelExitCode Lub(TextWriter output, TextWriter error, string first, string second) =>
        Run(output, error, first, second, static (a, b) => a.Lub(b));

    public static LabelExitCode Glb(TextWriter output, TextWriter error, string first, string second) =>
        Run(output, error, first, second, static (a, b) => a.Glb(b));

    private static Command Create(string name, string description, Func<TextWriter, TextWriter, string, string, LabelExitCode> run)
    {
        var command = new Command(name, description)
        {
            FirstArgument,
            SecondArgument,
        };
        command.SetAction(parseResult => (int)run(
            parseResult.InvocationConfiguration.Output,
            parseResult.InvocationConfiguration.Error,
            parseResult.GetRequiredValue(FirstArgument),
            parseResult.GetRequiredValue(SecondArgument)));
        return command;
    }

    private static LabelExitCode Run(TextWriter output, TextWriter error, string first, string second, Func<Label, Label, Label> operation)
    {
        if (!LabelInput.TryParseLabel(error, "a", first, out var a) || !LabelInput.TryParseLabel(error, "b", second, out var b))
        {
            return LabelExitCode.BadInput;
        }
        try
        {
            output.WriteLine(operation(a, b));
        }
        catch (LabelTooLargeException e)
        {
            error.WriteLine($"error: the result is too large: {e.Message}");
            return LabelExitCode.BadInput;
        }
        return LabelExitCode.Success;
    }
}
