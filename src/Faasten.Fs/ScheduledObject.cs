using Faasten.Fs.Objects;

namespace Faasten.Fs;

/// <summary>A schedule found by the runners: its object id (the key of its tick claims), the object, and when it was created (no earlier tick fires).</summary>
public sealed record ScheduledObject(string Id, Schedule Schedule, DateTimeOffset Since);
