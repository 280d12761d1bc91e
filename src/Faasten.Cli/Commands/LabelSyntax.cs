using Faasten.Cli.Http;
using Faasten.Labels;

namespace Faasten.Cli.Commands;

/// <summary>
/// Checks labels and components locally before anything is sent, so a typo is reported with
/// its offset and costs no round trip (and uploads nothing).
/// </summary>
internal static class LabelSyntax
{
    public static ApiError? CheckLabel(string option, string? text)
    {
        if (text is null || Label.TryParse(text, out _, out var failure))
        {
            return null;
        }
        return Describe(option, "label", text, failure);
    }

    public static ApiError? CheckComponent(string option, string? text)
    {
        if (text is null || Component.TryParse(text, out _, out var failure))
        {
            return null;
        }
        return Describe(option, "component", text, failure);
    }

    private static ApiError Describe(string option, string what, string text, LabelFormatException failure) =>
        ApiError.BadInput($"{option} '{text}' is not a valid {what}: {failure.Message.TrimEnd('.')}", "bad_label");
}
