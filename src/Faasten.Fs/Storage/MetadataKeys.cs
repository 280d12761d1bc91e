using System.Text;

namespace Faasten.Fs.Storage;

/// <summary>
/// Key rules every metadata store enforces the same way, so a key accepted by SQLite is
/// accepted by PostgreSQL and sorts identically: keys are well-formed UTF-16 (no lone
/// surrogates, which UTF-8 would silently turn into U+FFFD and so make two keys collide)
/// without U+0000 (PostgreSQL text cannot hold it). Order is Unicode code point order,
/// which is UTF-8 byte order.
/// </summary>
public static class MetadataKeys
{
    public static void Validate(string key, string paramName = "key")
    {
        ArgumentNullException.ThrowIfNull(key, paramName);
        if (key.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("A metadata key cannot contain U+0000.", paramName);
        }

        if (!IsWellFormed(key))
        {
            throw new ArgumentException("A metadata key must be well-formed UTF-16 (it has a lone surrogate).", paramName);
        }
    }

    /// <summary>Whether <paramref name="key"/> passes <see cref="Validate"/>.</summary>
    public static bool IsWellFormedKey(string key) => !key.Contains('\0', StringComparison.Ordinal) && IsWellFormed(key);

    /// <summary>Checks a scan's arguments: both valid keys, and a cursor inside the prefix's range.</summary>
    public static void ValidateScan(string prefix, string? startAfter)
    {
        Validate(prefix, nameof(prefix));
        if (startAfter is not null)
        {
            Validate(startAfter, nameof(startAfter));
            if (!startAfter.StartsWith(prefix, StringComparison.Ordinal))
            {
                throw new ArgumentException("A scan cursor must start with the scanned prefix.", nameof(startAfter));
            }
        }
    }

    /// <summary>
    /// The least key greater than every key starting with <paramref name="prefix"/>, or null
    /// when no such bound exists (empty prefix, or one made only of U+10FFFF). Keys in
    /// [prefix, bound) are exactly the keys with that prefix, which lets both stores scan a
    /// prefix as an index range.
    /// </summary>
    public static string? PrefixUpperBound(string prefix)
    {
        var end = prefix.Length;
        while (end > 0)
        {
            var start = end - 1;
            int codePoint = prefix[start];
            if (char.IsLowSurrogate(prefix[start]) && start > 0 && char.IsHighSurrogate(prefix[start - 1]))
            {
                start--;
                codePoint = char.ConvertToUtf32(prefix[start], prefix[start + 1]);
            }

            if (codePoint < 0x10FFFF)
            {
                var next = codePoint + 1 == 0xD800 ? 0xE000 : codePoint + 1;
                return string.Concat(prefix.AsSpan(0, start), char.ConvertFromUtf32(next));
            }

            end = start;
        }

        return null;
    }

    /// <summary>Orders keys as the stores do (code point order), unlike <see cref="string.CompareOrdinal(string, string)"/>.</summary>
    public static int Compare(string x, string y)
    {
        var a = x.AsSpan();
        var b = y.AsSpan();
        while (!a.IsEmpty && !b.IsEmpty)
        {
            Rune.DecodeFromUtf16(a, out var ra, out var na);
            Rune.DecodeFromUtf16(b, out var rb, out var nb);
            if (ra != rb)
            {
                return ra.Value.CompareTo(rb.Value);
            }

            a = a[na..];
            b = b[nb..];
        }

        return a.Length.CompareTo(b.Length);
    }

    private static bool IsWellFormed(string key)
    {
        for (var i = 0; i < key.Length; i++)
        {
            var c = key[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= key.Length || !char.IsLowSurrogate(key[i + 1]))
                {
                    return false;
                }

                i++;
            }
            else if (char.IsLowSurrogate(c))
            {
                return false;
            }
        }

        return true;
    }
}
