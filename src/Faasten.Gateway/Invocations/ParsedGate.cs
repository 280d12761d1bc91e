using Faasten.Fs.Objects;
using Faasten.Labels;

namespace Faasten.Gateway.Invocations;

/// <summary>A validated POST/PUT /gates body.</summary>
internal sealed record ParsedGate(string Path, Component Privilege, Component Clearance, Component? Declassify, Label? Label, FunctionSpec Function);
