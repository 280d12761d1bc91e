namespace Faasten.Labels;

/// <summary>
/// A hierarchical principal <c>a/b/c</c>: a non-empty sequence of non-empty tokens. A principal
/// speaks for every principal it is a prefix of (<c>alice</c> ⇒ <c>alice/pma</c>).
/// </summary>
/// <remarks>
/// Ordering is token-wise ordinal with a prefix before its extensions, so all extensions of a
/// principal sort contiguously right after it; <see cref="Clause"/> relies on that to reduce in one pass.
/// </remarks>
public sealed class Principal : IEquatable<Principal>, IComparable<Principal>
{
    private readonly string[] _tokens;
    private readonly int _hash;

    // A prefix shares its first token with what it prefixes, so comparing the first token's hash
    // rejects most non-prefixes without touching strings, and one bit of it lets a clause
    // summarize its principals in a 64-bit mask (see Clause.Implies).
    private readonly int _firstTokenHash;

    // Characters this principal prints to (LabelPrinter.AppendPrincipal), escapes included.
    private readonly int _textLength;

    public Principal(params string[] tokens)
        : this(CopyChecked(tokens), validated: true)
    {
    }

    // Takes ownership of an array of non-empty tokens (parser, Child, protobuf conversion). The
    // size limits are checked here, for every way a principal is made; the parser and the
    // protobuf decoder check them first to report input errors as such.
    internal Principal(string[] tokens, bool validated)
    {
        _ = validated;
        var limits = LabelLimits.Default;
        if (tokens.Length > limits.MaxTokens)
        {
            throw new LabelTooLargeException(nameof(LabelLimits.MaxTokens), $"a principal of {tokens.Length} tokens is more than {limits.MaxTokens}");
        }
        _tokens = tokens;
        var hash = new HashCode();
        var textLength = tokens.Length - 1;
        foreach (var token in tokens)
        {
            if (token.Length > limits.MaxTokenLength)
            {
                throw new LabelTooLargeException(nameof(LabelLimits.MaxTokenLength), $"a token of {token.Length} characters is more than {limits.MaxTokenLength}");
            }
            hash.Add(token, StringComparer.Ordinal);
            textLength += token.Length;
            foreach (var ch in token)
            {
                if (LabelParser.IsDelimiter(ch))
                {
                    textLength++;
                }
            }
        }
        _hash = hash.ToHashCode();
        _firstTokenHash = StringComparer.Ordinal.GetHashCode(tokens[0]);
        _textLength = textLength;
    }

    public IReadOnlyList<string> Tokens => _tokens;

    internal string[] TokenArray => _tokens;

    internal ulong FirstTokenBit => 1UL << (_firstTokenHash & 63);

    /// <summary>Length of the printed form.</summary>
    internal int TextLength => _textLength;

    /// <summary>True when this principal equals <paramref name="other"/> or is a proper prefix of it.</summary>
    public bool IsPrefixOf(Principal other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (ReferenceEquals(this, other))
        {
            return true;
        }
        var mine = _tokens;
        var theirs = other._tokens;
        if (mine.Length > theirs.Length || _firstTokenHash != other._firstTokenHash)
        {
            return false;
        }
        for (var i = 0; i < mine.Length; i++)
        {
            if (!string.Equals(mine[i], theirs[i], StringComparison.Ordinal))
            {
                return false;
            }
        }
        return true;
    }

    public Principal Child(string token)
    {
        CheckToken(token, nameof(token));
        var tokens = new string[_tokens.Length + 1];
        _tokens.CopyTo(tokens, 0);
        tokens[^1] = token;
        return new Principal(tokens, validated: true);
    }

    /// <summary>Parses one principal (<c>alice/pma</c>, backslash escapes), the whole input.</summary>
    public static Principal Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parser = new LabelParser(text);
        return parser.TryParsePrincipal(out var principal) ? principal : throw parser.Error();
    }

    public bool Equals(Principal? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }
        if (other is null || other._hash != _hash || other._tokens.Length != _tokens.Length)
        {
            return false;
        }
        return IsPrefixOf(other);
    }

    public override bool Equals(object? obj) => Equals(obj as Principal);

    public override int GetHashCode() => _hash;

    public int CompareTo(Principal? other)
    {
        if (other is null)
        {
            return 1;
        }
        if (ReferenceEquals(this, other))
        {
            return 0;
        }
        var mine = _tokens;
        var theirs = other._tokens;
        var n = Math.Min(mine.Length, theirs.Length);
        for (var i = 0; i < n; i++)
        {
            var c = string.CompareOrdinal(mine[i], theirs[i]);
            if (c != 0)
            {
                return c;
            }
        }
        return mine.Length.CompareTo(theirs.Length);
    }

    public override string ToString()
    {
        var builder = new System.Text.StringBuilder();
        LabelPrinter.AppendPrincipal(builder, this);
        return builder.ToString();
    }

    private static string[] CopyChecked(string[] tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        if (tokens.Length == 0)
        {
            throw new ArgumentException("A principal needs at least one token.", nameof(tokens));
        }
        var copy = new string[tokens.Length];
        for (var i = 0; i < tokens.Length; i++)
        {
            CheckToken(tokens[i], nameof(tokens));
            copy[i] = tokens[i];
        }
        return copy;
    }

    private static void CheckToken(string token, string paramName)
    {
        if (string.IsNullOrEmpty(token))
        {
            throw new ArgumentException("Principal tokens must be non-empty.", paramName);
        }
    }
}
