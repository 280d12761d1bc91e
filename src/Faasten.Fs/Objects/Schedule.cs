using Faasten.Labels;

namespace Faasten.Fs.Objects;

/// <summary>
/// A time-driven trigger: at every tick of <see cref="Cron"/> (UTC) the gate at
/// <see cref="GatePath"/> is invoked with <see cref="Privilege"/> and <see cref="Payload"/>
/// (UTF-8 JSON) labeled <see cref="PayloadLabel"/>.
/// </summary>
public sealed record Schedule(Label ScheduleLabel, string Cron, string GatePath, Component Privilege, Label PayloadLabel, byte[] Payload) : FsObject
{
    public override ObjectKind Kind => ObjectKind.Schedule;

    public override Label Label => ScheduleLabel;
}
