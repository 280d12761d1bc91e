using System.Diagnostics.CodeAnalysis;
using Faasten.Labels;
using Faasten.Protocol;
using Faasten.Protocol.V1;
using Component = Faasten.Labels.Component;
using Label = Faasten.Labels.Label;
using Principal = Faasten.Labels.Principal;

namespace Faasten.Kernel;

/// <summary>
/// Parses the label and privilege strings of CloudCall arguments. A malformed one is answered
/// with BAD_LABEL carrying the parser's message (which names the offset).
/// </summary>
internal static class KernelArgs
{
    public static bool TryLabel(string text, string what, [NotNullWhen(true)] out Label? label, [NotNullWhen(false)] out CloudCallResponse? error)
    {
        if (Label.TryParse(text, out label, out var e))
        {
            error = null;
            return true;
        }

        error = BadLabel(what, text, e);
        return false;
    }

    /// <summary>An optional label argument: unset means "the caller's current label" (null).</summary>
    public static bool TryOptionalLabel(bool has, string text, string what, out Label? label, [NotNullWhen(false)] out CloudCallResponse? error)
    {
        label = null;
        error = null;
        return !has || TryLabel(text, what, out label, out error);
    }

    public static bool TryComponent(string text, string what, [NotNullWhen(true)] out Component? component, [NotNullWhen(false)] out CloudCallResponse? error)
    {
        if (Component.TryParse(text, out component, out var e))
        {
            error = null;
            return true;
        }

        error = BadLabel(what, text, e);
        return false;
    }

    public static bool TryPrincipal(string text, string what, [NotNullWhen(true)] out Principal? principal, [NotNullWhen(false)] out CloudCallResponse? error)
    {
        try
        {
            principal = Principal.Parse(text);
            error = null;
            return true;
        }
        catch (LabelFormatException e)
        {
            principal = null;
            error = BadLabel(what, text, e);
            return false;
        }
    }

    private static CloudCallResponse BadLabel(string what, string text, LabelFormatException e) =>
        CloudCallReplies.Error(CloudCallErrorCode.BadLabel, $"bad {what} '{KernelErrors.Quote(text)}': {e.Message}");
}
