using Faasten.Labels;

namespace Faasten.Gateway.Http;

/// <summary>The <c>Faasten-Label</c> header: a request's label in, the released response's label out.</summary>
internal static class LabelHeader
{
    public const string Name = "Faasten-Label";

    /// <summary>Label text as is when it is printable ASCII (the common case), else percent-encoded UTF-8: header values are ASCII.</summary>
    public static string Format(Label label)
    {
        var text = label.ToString();
        foreach (var c in text)
        {
            if (c is < ' ' or > '~')
            {
                return Uri.EscapeDataString(text);
            }
        }

        return text;
    }
}
