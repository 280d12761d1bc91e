namespace Faasten.Labels;

/// <summary>
/// How large a label may be: at every input (the text parser, the protobuf decoder) and for every
/// value the label operations compute. Without a bound, one 149 KB label of 20,000 clauses cost
/// seconds of CPU to reduce, and an exact <c>∨</c> of three 30-clause integrities made 27,000.
/// </summary>
/// <remarks>
/// <para>Every <see cref="Component"/> and <see cref="Label"/> satisfies <see cref="Default"/>,
/// whoever built it, so every computed label prints to text the parser accepts again (it is
/// stored, sent to functions and returned in headers as text) and the work of every operation on
/// it is bounded.</para>
/// <para>Input over a limit is refused before any reduction runs: the parser and the protobuf
/// decoder count what they read. A computation whose exact result would exceed a limit throws
/// <see cref="LabelTooLargeException"/>, except where a sound weakening exists: see
/// <see cref="Label.Lub"/>.</para>
/// </remarks>
public sealed record LabelLimits
{
    /// <summary>The limits the label types enforce.</summary>
    public static LabelLimits Default { get; } = new();

    /// <summary>Characters of label (or component) text, as written or as printed. Bounds the
    /// parser's work before it starts, and header and storage sizes.</summary>
    public int MaxTextLength { get; init; } = 8 * 1024;

    /// <summary>Clauses in one component (as written, before reduction, when parsed).</summary>
    public int MaxClauses { get; init; } = 64;

    /// <summary>Principals in one clause.</summary>
    public int MaxPrincipals { get; init; } = 16;

    /// <summary>Tokens in one principal.</summary>
    public int MaxTokens { get; init; } = 16;

    /// <summary>Characters in one token (unescaped).</summary>
    public int MaxTokenLength { get; init; } = 256;

    /// <summary>
    /// Clause merges one <c>∨</c> may make. The exact CNF distribution of <c>x ∨ y</c> merges every
    /// pair (|x|·|y| of them) and then reduces the candidates in quadratic time; beyond this budget
    /// an exact <c>∨</c> fails and an integrity <c>∨</c> is weakened (see <see cref="Label.Lub"/>).
    /// </summary>
    public int MaxClauseMerges { get; init; } = 256;
}
