using System.Collections.Immutable;
using Faasten.Labels;

namespace Faasten.Fs.Objects;

/// <summary>
/// An external HTTP endpoint capability. Headers may hold credentials, so functions can
/// invoke a service but never read it.
/// </summary>
public sealed record Service(
    Label ServiceLabel,
    string UrlTemplate,
    string Verb,
    ImmutableSortedDictionary<string, string> Headers,
    Label Taint,
    Component Privilege,
    Component Clearance) : FsObject
{
    public override ObjectKind Kind => ObjectKind.Service;

    public override Label Label => ServiceLabel;
}
