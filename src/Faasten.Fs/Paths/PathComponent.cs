using Faasten.Labels;

namespace Faasten.Fs.Paths;

/// <summary>One step of a path: a name, a facet label, or one of the symbolic steps.</summary>
public readonly record struct PathComponent(PathComponentKind Kind, string? Name = null, Label? Facet = null)
{
    public static PathComponent ForName(string name) => new(PathComponentKind.Name, Name: name);

    public static PathComponent ForFacet(Label facet) => new(PathComponentKind.Facet, Facet: facet);

    public override string ToString() => Kind switch
    {
        PathComponentKind.Name => Name!,
        PathComponentKind.Facet => $"<{Facet}>",
        PathComponentKind.Home => "~",
        _ => "%",
    };
}
