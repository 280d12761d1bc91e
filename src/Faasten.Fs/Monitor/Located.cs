using Faasten.Fs.Objects;
using Faasten.Labels;

namespace Faasten.Fs.Monitor;

/// <summary>
/// What a path resolved to. A facet that was never written has no id: it is an empty
/// directory labeled with the facet, materialized in <see cref="FacetOwner"/> on first write.
/// </summary>
internal readonly record struct Located(ObjectId? Id, FsObject Object, ObjectId? FacetOwner = null, Label? Facet = null);
