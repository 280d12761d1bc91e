namespace Faasten.Fs.Paths;

public enum PathComponentKind
{
    /// <summary>An entry of a directory.</summary>
    Name,

    /// <summary><c>&lt;label&gt;</c>: one facet of a faceted directory.</summary>
    Facet,

    /// <summary><c>~</c>: <c>home:&lt;P,P&gt;</c> for the caller's privilege P (first component only).</summary>
    Home,

    /// <summary><c>%</c>: the facet equal to the caller's current label.</summary>
    CurrentFacet,
}
