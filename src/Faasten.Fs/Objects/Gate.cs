using Faasten.Labels;

namespace Faasten.Fs.Objects;

/// <summary>
/// A function capability. <see cref="Declassify"/> bounds what the output may shed
/// (DESIGN §3 rule 7) and defaults to the privilege.
/// </summary>
public sealed record Gate(Label GateLabel, Component Privilege, Component Clearance, Component Declassify, FunctionSpec Function) : FsObject
{
    public override ObjectKind Kind => ObjectKind.Gate;

    public override Label Label => GateLabel;
}
