using System.Runtime.CompilerServices;
using System.Text.Json;
using Faasten.Fs.Objects;
using Faasten.Labels;

namespace Faasten.Fs;

/// <summary>
/// Schedules: file-system objects beside triggers, plus what the schedule runners share
/// through the metadata store. An index key per schedule lets every runner find them without
/// walking the tree; a claim key per (schedule, tick), taken with insert-if-absent, makes a
/// tick fire once however many gateway processes run over one store.
/// </summary>
public static class Schedules
{
    private const string IndexPrefix = "sched/idx/";
    private const string ClaimPrefix = "sched/tick/";

    /// <summary>
    /// Creates a schedule. Rule 4: the creator's privilege must imply the privilege it invokes
    /// with. The payload is data the request wrote, so it is labeled at least with what the
    /// request knew (<c>L ⊑_P payloadLabel</c>, as for any write): a schedule created after
    /// reading a secret cannot fire a public invocation unless its creator may declassify it.
    /// </summary>
    public static async ValueTask<FsResult> CreateScheduleAsync(this FileSystem fs, SecurityContext ctx, string path, string cron, string gatePath, Component privilege, Label payloadLabel, byte[] payload, Label? label = null, CancellationToken ct = default)
    {
        if (Capabilities.CheckDelegation(ctx, privilege, privilege) is { IsOk: false } denied)
        {
            return denied;
        }

        if (path.Contains('%', StringComparison.Ordinal))
        {
            // The runner resolves the path again with no current label; '%' would name another facet.
            return FsResult.Fail(FsStatus.BadPath, "a schedule's path cannot use '%' (name the facet)");
        }

        if (!Paths.FsPath.TryParse(gatePath, out _, out var error))
        {
            return FsResult.Fail(FsStatus.BadPath, $"bad gate path in 'gate': {error}");
        }

        if (!ctx.CanWrite(payloadLabel))
        {
            return FileSystem.Denied(ctx, payloadLabel, "label a schedule's payload");
        }

        var created = await fs.CreateObjectAsync(ctx, path, label, l => new Schedule(l!, cron, gatePath, privilege, payloadLabel, payload), ct).ConfigureAwait(false);
        if (!created.IsOk)
        {
            return created;
        }

        var located = await fs.ResolveAsync(new SecurityContext(ctx.Privilege), path, ct).ConfigureAwait(false);
        if (located.IsOk && located.Value.Id is { } id)
        {
            var entry = new ScheduleIndexEntry(path, ctx.Privilege.ToString(), fs.Time.GetUtcNow().ToUnixTimeMilliseconds());
            await fs.Metadata.PutAsync(IndexPrefix + id.Value, JsonSerializer.SerializeToUtf8Bytes(entry, ScheduleJsonContext.Default.ScheduleIndexEntry), ct).ConfigureAwait(false);
        }

        return FsResult.Ok;
    }

    /// <summary>
    /// Every schedule still linked where it was created. The runner is part of the system, not a
    /// computation: it resolves with the creator's privilege only to find the object, and what it
    /// does with one is invoke the gate under the schedule's own privilege and payload label.
    /// A schedule that was unlinked (or replaced by another object) is dropped from the index.
    /// </summary>
    public static async IAsyncEnumerable<ScheduledObject> ListSchedulesAsync(this FileSystem fs, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await foreach (var (key, value) in fs.Metadata.ScanAsync(IndexPrefix, cancellationToken: ct).ConfigureAwait(false))
        {
            var id = key[IndexPrefix.Length..];
            var entry = JsonSerializer.Deserialize(value.Value, ScheduleJsonContext.Default.ScheduleIndexEntry);
            if (entry is null || !Component.TryParse(entry.Creator, out var creator, out _))
            {
                continue;
            }

            var finder = new SecurityContext(creator);
            FsResult<Monitor.Located> located;
            try
            {
                located = await fs.ResolveAsync(finder, entry.Path, ct).ConfigureAwait(false);
            }
            catch (LabelTooLargeException)
            {
                // One walk's labels must not end the scan: whether later schedules fire would
                // then depend on directories they never read. This schedule is skipped.
                continue;
            }

            if (located.IsOk && located.Value.Id?.Value == id && located.Value.Object is Schedule schedule)
            {
                // Whether a tick fires at all depends on every directory the walk consulted (the
                // schedule is still linked there) and on the schedule itself (its cron and gate):
                // anyone who may write those directories can stop or keep the firing, so a firing
                // observed at the payload label alone would leak them (a schedule linked in a
                // directory labeled alice,T, unlinked or not by a computation that read alice's
                // secret). The invocation carries what the walk read, downgraded only by the
                // schedule's own privilege, which could declassify it anyway.
                yield return new ScheduledObject(id, schedule, DateTimeOffset.FromUnixTimeMilliseconds(entry.SinceMs), FiringLabel(finder, schedule));
            }
            else if (located.Status is FsStatus.NotFound or FsStatus.Ok or FsStatus.WrongKind)
            {
                await fs.Metadata.DeleteAsync(key, value.Version, ct).ConfigureAwait(false);
            }
        }
    }

    // Fails closed, as SecurityContext.Taint does: labels too large to join fire at the top.
    private static Label FiringLabel(SecurityContext finder, Schedule schedule)
    {
        try
        {
            finder.Taint(schedule.Label);
            return schedule.PayloadLabel.Lub(finder.Label.Downgrade(schedule.Privilege));
        }
        catch (LabelTooLargeException)
        {
            return Label.Top;
        }
    }

    /// <summary>Claims one tick of one schedule: true for exactly one caller, whichever process it runs in.</summary>
    public static ValueTask<bool> ClaimTickAsync(this FileSystem fs, string scheduleId, DateTimeOffset tick, CancellationToken ct = default) =>
        fs.Metadata.InsertIfAbsentAsync(ClaimKey(scheduleId, tick), FsKeys.EncodeTime(fs.Time.GetUtcNow().ToUnixTimeMilliseconds()), ct);

    /// <summary>Forgets claims of ticks before <paramref name="before"/>: no runner looks that far back.</summary>
    public static async ValueTask ForgetTicksBeforeAsync(this FileSystem fs, string scheduleId, DateTimeOffset before, CancellationToken ct = default)
    {
        var prefix = ClaimPrefix + scheduleId + "/";
        var bound = ClaimKey(scheduleId, before);
        var old = new List<(string, long)>();
        await foreach (var (key, value) in fs.Metadata.ScanAsync(prefix, cancellationToken: ct).ConfigureAwait(false))
        {
            if (string.CompareOrdinal(key, bound) >= 0)
            {
                break;
            }

            old.Add((key, value.Version));
        }

        foreach (var (key, version) in old)
        {
            await fs.Metadata.DeleteAsync(key, version, ct).ConfigureAwait(false);
        }
    }

    // Fixed width, so keys sort by time.
    private static string ClaimKey(string scheduleId, DateTimeOffset tick) =>
        ClaimPrefix + scheduleId + "/" + tick.ToUnixTimeSeconds().ToString("D12", System.Globalization.CultureInfo.InvariantCulture);
}
