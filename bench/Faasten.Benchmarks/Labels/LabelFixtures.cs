using Faasten.Labels;

namespace Faasten.Benchmarks.Labels;

/// <summary>
/// Deterministic inputs. Flow checks are built to succeed, since a successful check must examine
/// every clause (the worst case); the lub operands are independent so ∨ really distributes.
/// </summary>
internal sealed class LabelFixtures
{
    private LabelFixtures(Label from, Label to, Label other, Component privilege, Label privilegedTo)
    {
        From = from;
        To = to;
        Other = other;
        Privilege = privilege;
        PrivilegedTo = privilegedTo;
        Text = from.ToString();
    }

    public Label From { get; }

    /// <summary>From ⊑ To.</summary>
    public Label To { get; }

    /// <summary>Unrelated to From, for lub.</summary>
    public Label Other { get; }

    public Component Privilege { get; }

    /// <summary>From ⊑_Privilege PrivilegedTo, but not From ⊑ PrivilegedTo.</summary>
    public Label PrivilegedTo { get; }

    public string Text { get; }

    public static LabelFixtures Create(LabelSize size) => size == LabelSize.Small
        ? new LabelFixtures(
            Label.Parse("alice/pma|bob,alice"),
            Label.Parse("alice/pma&carol,alice|bob"),
            Label.Parse("bob,bob"),
            Component.Parse("alice"),
            Label.Parse("T,alice"))
        : CreateLarge();

    private static LabelFixtures CreateLarge()
    {
        var random = new Random(42);
        var from = new Label(RandomComponent(random), RandomComponent(random));
        // Each clause of To.S is a clause of From.S minus a principal (stronger); each clause of
        // To.I is a clause of From.I with an extra principal (weaker): From ⊑ To.
        var to = new Label(
            Component.FromClauses(from.Secrecy.Clauses.Select(c => new Clause(c.Principals.Skip(1)))),
            Component.FromClauses(from.Integrity.Clauses.Select(c => new Clause(c.Principals.Append(RandomPrincipal(random))))));
        var other = new Label(RandomComponent(random), RandomComponent(random));
        var privilege = Component.FromClauses(from.Secrecy.Clauses.Where((_, i) => i % 4 == 0));
        return new LabelFixtures(from, to, other, privilege, from.Downgrade(privilege));
    }

    private static Component RandomComponent(Random random) =>
        Component.FromClauses(Enumerable.Range(0, 20).Select(_ => new Clause(Enumerable.Range(0, 5).Select(_ => RandomPrincipal(random)))));

    private static Principal RandomPrincipal(Random random) =>
        new($"user{random.Next(40)}", $"app{random.Next(10)}");
}
