using Faasten.Labels;

namespace Faasten.Fs.Objects;

/// <summary>A gate that points at another gate's path, adding its own authority and policy.</summary>
public sealed record RedirectGate(Label GateLabel, string Target, Component Privilege, Component Clearance, Component Declassify) : FsObject
{
    public override ObjectKind Kind => ObjectKind.RedirectGate;

    public override Label Label => GateLabel;
}
