using Faasten.Fs.Objects;
using Faasten.Labels;

namespace Faasten.Fs.Monitor;

/// <summary>
/// What a path resolved to. A facet that was never written has no id: it is an empty
/// directory labeled with the facet, materialized in <see cref="FacetOwner"/> on first write.
/// <see cref="Version"/> is the stored record's version when it was read (0 for an unwritten facet).
/// </summary>
internal readonly record struct Located(ObjectId? Id, FsObject Object, ObjectId? FacetOwner = null, Label? Facet = null, long Version = 0);
