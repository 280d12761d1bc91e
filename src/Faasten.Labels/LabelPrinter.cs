using System.Text;

namespace Faasten.Labels;

/// <summary>Canonical text form; the inverse of <see cref="LabelParser"/>.</summary>
internal static class LabelPrinter
{
    public static string Print(Component component)
    {
        if (component.IsFalse)
        {
            return "F";
        }
        if (component.IsTrue)
        {
            return "T";
        }
        var builder = new StringBuilder();
        var clauses = component.ClauseArray;
        // A lone principal named T or F would read back as the keyword.
        if (clauses.Length == 1 && clauses[0].PrincipalArray is [{ TokenArray: ["T" or "F"] }])
        {
            builder.Append('\\');
        }
        for (var i = 0; i < clauses.Length; i++)
        {
            if (i > 0)
            {
                builder.Append('&');
            }
            AppendClause(builder, clauses[i]);
        }
        return builder.ToString();
    }

    public static void AppendClause(StringBuilder builder, Clause clause)
    {
        var principals = clause.PrincipalArray;
        for (var i = 0; i < principals.Length; i++)
        {
            if (i > 0)
            {
                builder.Append('|');
            }
            AppendPrincipal(builder, principals[i]);
        }
    }

    public static void AppendPrincipal(StringBuilder builder, Principal principal)
    {
        var tokens = principal.TokenArray;
        for (var i = 0; i < tokens.Length; i++)
        {
            if (i > 0)
            {
                builder.Append('/');
            }
            foreach (var ch in tokens[i])
            {
                if (LabelParser.IsDelimiter(ch))
                {
                    builder.Append('\\');
                }
                builder.Append(ch);
            }
        }
    }
}
