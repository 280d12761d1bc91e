namespace Faasten.Protocol.Labels;

/// <summary>
/// A protobuf label, component, clause or principal that does not describe a valid Buckle value
/// (a missing component, F with clauses, an empty clause, principal or token).
/// </summary>
public sealed class LabelMessageException : FormatException
{
    public LabelMessageException(string path, string problem)
        : base($"Malformed label message: {path} {problem}.")
    {
        Path = path;
    }

    /// <summary>Where in the message the problem is, e.g. <c>secrecy.clauses[1].principals[0]</c>.</summary>
    public string Path { get; }
}
