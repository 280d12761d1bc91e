namespace Faasten.Benchmarks.Labels;

public enum LabelSize
{
    /// <summary>1–2 clauses per component: what real gates and files carry.</summary>
    Small,

    /// <summary>20 clauses × 5 principals per component: a stress case.</summary>
    Large,
}
