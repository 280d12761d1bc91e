using System.Collections.Immutable;
using Faasten.Labels;

namespace Faasten.Fs;

/// <summary>What a new service carries: URL template with {name} placeholders, verb, fixed headers, taint and policy.</summary>
public sealed record ServiceSpec(string UrlTemplate, string Verb, ImmutableSortedDictionary<string, string> Headers, Label Taint, Component Privilege, Component Clearance);
