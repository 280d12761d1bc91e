namespace Faasten.Labels;

/// <summary>
/// Why a flow <c>from ⊑_P to</c> fails, clause by clause: the first clause each side needs and
/// does not get (a label calculator's <c>--explain</c>, the console's). Empty when it flows.
/// </summary>
public static class FlowExplanation
{
    /// <param name="privilege">Null for the plain flow <c>from ⊑ to</c>.</param>
    public static IReadOnlyList<string> Explain(Label from, Label to, Component? privilege = null)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        var reasons = new List<string>();
        var with = privilege is null ? "" : " with the privilege";

        // Secrecy: whoever may read TO (its secrecy, widened by the privilege) must be allowed by FROM's secrecy.
        var readers = privilege is null ? to.Secrecy : to.Secrecy.And(privilege);
        if (!readers.Implies(from.Secrecy))
        {
            reasons.Add(from.Secrecy.IsFalse
                ? $"secrecy: FROM's secrecy is F (top secret): only a TO secrecy{with} of F keeps it, and {readers} is not"
                : $"secrecy: FROM's clause {Missing(readers, from.Secrecy)} is implied by no clause of TO's secrecy{with} ({readers}): readers TO allows are not all allowed by FROM");
        }

        // Integrity: what TO requires must be vouched for by FROM's integrity (endorsed by the privilege).
        var vouched = privilege is null ? from.Integrity : from.Integrity.And(privilege);
        if (!vouched.Implies(to.Integrity))
        {
            reasons.Add(to.Integrity.IsFalse
                ? $"integrity: TO's integrity is F: only FROM's integrity{with} of F reaches it, and {vouched} is not"
                : $"integrity: TO's clause {Missing(vouched, to.Integrity)} is implied by no clause of FROM's integrity{with} ({vouched}): FROM is not vouched for as TO requires");
        }

        return reasons;
    }

    /// <summary>The first clause of <paramref name="target"/> that no clause of <paramref name="source"/> implies.</summary>
    private static string Missing(Component source, Component target)
    {
        foreach (var clause in target.Clauses)
        {
            if (!source.Clauses.Any(c => c.Implies(clause)))
            {
                return Component.FromClause(clause).ToString();
            }
        }

        return target.ToString();
    }
}
