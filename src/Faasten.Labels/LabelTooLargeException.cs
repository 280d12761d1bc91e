namespace Faasten.Labels;

/// <summary>
/// A label operation whose exact result, or the work to compute it, would exceed
/// <see cref="LabelLimits"/>. Nothing was changed: operations are pure, so a caller that applies
/// the result (a taint) keeps its previous label. Messages give sizes and the limit's name,
/// never label text.
/// </summary>
public sealed class LabelTooLargeException : Exception
{
    public LabelTooLargeException(string limit, string message)
        : base($"{message} (LabelLimits.{limit})")
    {
        Limit = limit;
    }

    /// <summary>The <see cref="LabelLimits"/> property that was exceeded, e.g. <c>MaxClauses</c>.</summary>
    public string Limit { get; }
}
