namespace Faasten.Labels;

/// <summary>Text that is not a well-formed label, component, clause or principal.</summary>
public sealed class LabelFormatException : FormatException
{
    public LabelFormatException(int offset, string expected, string found)
        : base($"Invalid label text at offset {offset}: expected {expected}, found {found}.")
    {
        Offset = offset;
        Expected = expected;
    }

    /// <summary>Zero-based character offset in the input where parsing failed.</summary>
    public int Offset { get; }

    /// <summary>What the parser expected at <see cref="Offset"/>, e.g. "a principal token".</summary>
    public string Expected { get; }
}
