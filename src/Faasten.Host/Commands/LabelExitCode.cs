namespace Faasten.Host.Commands;

/// <summary>Exit codes of <c>faasten label</c>: scripts can test <c>flows</c> like a predicate.</summary>
internal enum LabelExitCode
{
    Success = 0,

    /// <summary><c>flows</c>: the first label cannot flow to the second.</summary>
    NoFlow = 1,

    /// <summary>An argument is not a well-formed label or component.</summary>
    BadInput = 2,
}
