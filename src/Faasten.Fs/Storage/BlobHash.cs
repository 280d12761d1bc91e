namespace Faasten.Fs.Storage;

/// <summary>
/// The name of a blob: its SHA-256 as 64 lower-case hex characters. Checked on every
/// store entry point, so a caller-supplied string can never become a path elsewhere.
/// </summary>
public static class BlobHash
{
    public const int Length = 64;

    public static bool IsValid(ReadOnlySpan<char> hash)
    {
        if (hash.Length != Length)
        {
            return false;
        }

        foreach (var c in hash)
        {
            if (!char.IsAsciiDigit(c) && c is not (>= 'a' and <= 'f'))
            {
                return false;
            }
        }

        return true;
    }

    public static void Validate(string hash, string paramName = "hash")
    {
        ArgumentNullException.ThrowIfNull(hash, paramName);
        if (!IsValid(hash))
        {
            throw new ArgumentException(
                $"Not a blob hash: expected {Length} lower-case hex characters (SHA-256), got {hash.Length} characters.",
                paramName);
        }
    }
}
