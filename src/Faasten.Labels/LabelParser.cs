using System.Diagnostics.CodeAnalysis;

namespace Faasten.Labels;

/// <summary>
/// Recursive-descent parser for the label text syntax; always consumes the whole input.
/// </summary>
/// <remarks>
/// <code>
/// label     := component ',' component
/// component := 'T' | 'F' | clause ('&amp;' clause)*      (T/F only when they are the whole component)
/// clause    := principal ('|' principal)*
/// principal := token ('/' token)*
/// token     := (any char but , | &amp; / \ and whitespace | '\' any char)+
/// </code>
/// Unescaped whitespace is insignificant around tokens and separators and ends a token; a token
/// holds whitespace only escaped. A backslash makes the next character literal (the printer
/// escapes <c>, | &amp; / \</c> and whitespace, and writes <c>\T</c> / <c>\F</c> for a component
/// that is the single principal named T or F). On failure the parser remembers the offset and
/// what it expected, and <see cref="Error"/> builds the exception, so TryParse never throws.
/// Input beyond <see cref="LabelLimits.Default"/> is refused the same way, naming the limit: the
/// text length before anything is read, and the counts of clauses, principals and tokens as they
/// are read, before any reduction runs. Parsing is therefore linear in the (bounded) input.
/// </remarks>
internal ref struct LabelParser
{
    private const string ExpectedComponent = "a component (T, F or a principal)";
    private const string ExpectedToken = "a principal token";

    private readonly ReadOnlySpan<char> _text;
    private int _pos;
    private int _errorOffset;
    private string? _expected;
    private string? _found;

    // Reused across principals/clauses: a label's lists are never live at the same time twice.
    private List<string>? _tokens;
    private List<Principal>? _principals;
    private List<Clause>? _clauses;

    public LabelParser(ReadOnlySpan<char> text)
    {
        _text = text;
    }

    public bool TryParseLabel([NotNullWhen(true)] out Label? label)
    {
        label = null;
        if (!WithinTextLimit() || !TryParseComponentBody(out var secrecy, out var keyword))
        {
            return false;
        }
        SkipWhitespace();
        if (!TryConsume(','))
        {
            return Fail(keyword ? "','" : "'/', '|', '&' or ','");
        }
        if (!TryParseComponentBody(out var integrity, out keyword))
        {
            return false;
        }
        if (!AtEnd())
        {
            return Fail(keyword ? "end of input" : "'/', '|', '&' or end of input");
        }
        label = new Label(secrecy, integrity);
        return true;
    }

    public bool TryParseComponent([NotNullWhen(true)] out Component? component)
    {
        component = null;
        if (!WithinTextLimit() || !TryParseComponentBody(out component, out var keyword))
        {
            return false;
        }
        if (!AtEnd())
        {
            component = null;
            return Fail(keyword ? "end of input" : "'/', '|', '&' or end of input");
        }
        return true;
    }

    public bool TryParseClause([NotNullWhen(true)] out Clause? clause)
    {
        clause = null;
        SkipWhitespace();
        if (!WithinTextLimit() || !TryParseClauseBody(out clause))
        {
            return false;
        }
        if (!AtEnd())
        {
            clause = null;
            return Fail("'/', '|' or end of input");
        }
        return true;
    }

    public bool TryParsePrincipal([NotNullWhen(true)] out Principal? principal)
    {
        principal = null;
        if (!WithinTextLimit() || !TryParsePrincipalBody(out principal))
        {
            return false;
        }
        if (!AtEnd())
        {
            principal = null;
            return Fail("'/' or end of input");
        }
        return true;
    }

    public readonly LabelFormatException Error()
    {
        var found = _found ?? (_errorOffset >= _text.Length ? "end of input" : Describe(_text[_errorOffset]));
        return new LabelFormatException(_errorOffset, _expected ?? "valid label text", found);
    }

    private bool TryParseComponentBody([NotNullWhen(true)] out Component? component, out bool keyword)
    {
        component = null;
        keyword = false;
        SkipWhitespace();
        if (_pos < _text.Length && _text[_pos] is 'T' or 'F')
        {
            var start = _pos;
            _pos++;
            SkipWhitespace();
            if (_pos == _text.Length || _text[_pos] == ',')
            {
                component = _text[start] == 'T' ? Component.True : Component.False;
                keyword = true;
                return true;
            }
            _pos = start;
        }
        if (_pos == _text.Length || (_text[_pos] != '\\' && IsDelimiter(_text[_pos])))
        {
            return Fail(ExpectedComponent);
        }
        var clauses = _clauses ??= [];
        clauses.Clear();
        var limits = LabelLimits.Default;
        while (true)
        {
            if (clauses.Count == limits.MaxClauses)
            {
                return FailLimit($"at most {limits.MaxClauses} clauses in a component (LabelLimits.MaxClauses)", "another clause");
            }
            if (!TryParseClauseBody(out var clause))
            {
                return false;
            }
            clauses.Add(clause);
            SkipWhitespace();
            if (!TryConsume('&'))
            {
                break;
            }
        }
        component = Component.FromClauseList(clauses);
        return true;
    }

    private bool TryParseClauseBody([NotNullWhen(true)] out Clause? clause)
    {
        clause = null;
        var principals = _principals ??= [];
        principals.Clear();
        var limits = LabelLimits.Default;
        while (true)
        {
            if (principals.Count == limits.MaxPrincipals)
            {
                return FailLimit($"at most {limits.MaxPrincipals} principals in a clause (LabelLimits.MaxPrincipals)", "another principal");
            }
            if (!TryParsePrincipalBody(out var principal))
            {
                return false;
            }
            principals.Add(principal);
            SkipWhitespace();
            if (!TryConsume('|'))
            {
                break;
            }
        }
        clause = Clause.FromPrincipals(principals);
        return true;
    }

    private bool TryParsePrincipalBody([NotNullWhen(true)] out Principal? principal)
    {
        principal = null;
        var tokens = _tokens ??= [];
        tokens.Clear();
        var limits = LabelLimits.Default;
        while (true)
        {
            SkipWhitespace();
            if (tokens.Count == limits.MaxTokens)
            {
                return FailLimit($"at most {limits.MaxTokens} tokens in a principal (LabelLimits.MaxTokens)", "another token");
            }
            if (!TryParseToken(out var token))
            {
                return false;
            }
            tokens.Add(token);
            SkipWhitespace();
            if (!TryConsume('/'))
            {
                break;
            }
        }
        principal = new Principal([.. tokens], validated: true);
        return true;
    }

    private bool TryParseToken([NotNullWhen(true)] out string? token)
    {
        token = null;
        var start = _pos;
        var escapes = 0;
        while (_pos < _text.Length)
        {
            var ch = _text[_pos];
            if (ch == '\\')
            {
                if (_pos + 1 == _text.Length)
                {
                    _pos++;
                    return Fail("a character after '\\'");
                }
                _pos += 2;
                escapes++;
            }
            else if (IsDelimiter(ch))
            {
                break;
            }
            else
            {
                _pos++;
            }
        }
        if (_pos == start)
        {
            return Fail(ExpectedToken);
        }
        var maxLength = LabelLimits.Default.MaxTokenLength;
        var length = _pos - start - escapes;
        if (length > maxLength)
        {
            _pos = start;
            return FailLimit($"at most {maxLength} characters in a token (LabelLimits.MaxTokenLength)", $"a token of {length} characters");
        }
        var raw = _text[start.._pos];
        token = escapes == 0 ? raw.ToString() : Unescape(raw, escapes);
        return true;
    }

    private static string Unescape(ReadOnlySpan<char> raw, int escapes)
    {
        Span<char> buffer = raw.Length <= 256 ? stackalloc char[raw.Length] : new char[raw.Length];
        var n = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] == '\\')
            {
                i++;
            }
            buffer[n++] = raw[i];
        }
        return new string(buffer[..(raw.Length - escapes)]);
    }

    internal static bool IsDelimiter(char ch) => ch is ',' or '|' or '&' or '/' or '\\' || char.IsWhiteSpace(ch);

    private static string Describe(char ch) =>
        char.IsControl(ch) || char.IsWhiteSpace(ch) || char.IsSurrogate(ch) ? $"U+{(int)ch:X4}" : $"'{ch}'";

    private bool AtEnd()
    {
        SkipWhitespace();
        return _pos == _text.Length;
    }

    private bool TryConsume(char ch)
    {
        if (_pos < _text.Length && _text[_pos] == ch)
        {
            _pos++;
            return true;
        }
        return false;
    }

    private void SkipWhitespace()
    {
        while (_pos < _text.Length && char.IsWhiteSpace(_text[_pos]))
        {
            _pos++;
        }
    }

    // The whole input, checked before parsing starts so that the work stays linear in a bounded size.
    private bool WithinTextLimit()
    {
        var max = LabelLimits.Default.MaxTextLength;
        if (_text.Length <= max)
        {
            return true;
        }
        _pos = max;
        return FailLimit($"at most {max} characters of label text (LabelLimits.MaxTextLength)", $"{_text.Length} characters");
    }

    private bool FailLimit(string expected, string found)
    {
        Fail(expected);
        _found = found;
        return false;
    }

    private bool Fail(string expected)
    {
        _errorOffset = _pos;
        _expected = expected;
        return false;
    }
}
