using System.Diagnostics.CodeAnalysis;
using Faasten.Labels;

namespace Faasten.Host.Commands;

/// <summary>Parses label arguments and reports failures with a caret under the offending offset.</summary>
internal static class LabelInput
{
    public static bool TryParseLabel(TextWriter error, string name, string text, [NotNullWhen(true)] out Label? label)
    {
        if (Label.TryParse(text, out label, out var failure))
        {
            return true;
        }
        Report(error, name, text, failure);
        return false;
    }

    public static bool TryParseComponent(TextWriter error, string name, string text, [NotNullWhen(true)] out Component? component)
    {
        if (Component.TryParse(text, out component, out var failure))
        {
            return true;
        }
        Report(error, name, text, failure);
        return false;
    }

    private static void Report(TextWriter error, string name, string text, LabelFormatException failure)
    {
        error.WriteLine($"error: {name}: {failure.Message}");
        error.WriteLine($"  {text}");
        error.WriteLine($"  {new string(' ', failure.Offset)}^");
    }
}
