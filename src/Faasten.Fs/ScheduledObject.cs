using Faasten.Fs.Objects;
using Faasten.Labels;

namespace Faasten.Fs;

/// <summary>
/// A schedule found by the runners: its object id (the key of its tick claims), the object, when
/// it was created (no earlier tick fires), and the label its invocations carry: the payload's
/// joined with what finding the schedule read (see <see cref="Schedules.ListSchedulesAsync"/>).
/// </summary>
public sealed record ScheduledObject(string Id, Schedule Schedule, DateTimeOffset Since, Label FiringLabel);
