using Faasten.Labels;

namespace Faasten.Fs.Objects;

/// <summary>An event-source binding: deliveries signed with the secret invoke the gate.</summary>
public sealed record Trigger(Label TriggerLabel, string Secret, string GatePath, Component Privilege, Label PayloadLabel) : FsObject
{
    public override ObjectKind Kind => ObjectKind.Trigger;

    public override Label Label => TriggerLabel;
}
