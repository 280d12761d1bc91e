using Faasten.Fs;
using Faasten.Gateway.Invocations;
using Faasten.Gateway.Logging;
using Faasten.Protocol.Invocations;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Faasten.Gateway.Events;

/// <summary>
/// Fires schedules. Runs in every gateway process; a tick fires once over all of them because
/// each (schedule, tick) is claimed in the metadata store before it is invoked. An invocation
/// goes through the same <see cref="IInvoker"/> as any other, with the schedule's privilege
/// (bounded by its creator's when it was created, rule 4) and payload label, so the worker
/// authorizes it against the gate's clearance and its effects carry that label.
/// </summary>
internal sealed class ScheduleRunner(FileSystem fs, IInvoker invoker, TimeProvider time, GatewayOptions options, ILogger<ScheduleRunner> logger) : BackgroundService
{
    private readonly ScheduleOptions _options = options.Schedules;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.PollInterval, time);
        try
        {
            do
            {
                try
                {
                    await RunOnceAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A store outage must not end the runner: the next poll tries again.
                    GatewayLog.ScheduleRunFailed(logger, e);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Claims and fires every due tick not yet claimed; returns how many this process fired.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var fired = 0;
        await foreach (var scheduled in fs.ListSchedulesAsync(ct))
        {
            if (!CronText.TryParse(scheduled.Schedule.Cron, out var cron, out _))
            {
                continue;
            }

            var from = Max(now - _options.Lookback, scheduled.Since);
            foreach (var tick in cron!.GetOccurrences(from, now, TimeZoneInfo.Utc, fromInclusive: false, toInclusive: true))
            {
                if (await fs.ClaimTickAsync(scheduled.Id, tick, ct))
                {
                    await FireAsync(scheduled, tick, ct);
                    fired++;
                }
            }

            await fs.ForgetTicksBeforeAsync(scheduled.Id, now - (2 * _options.Lookback), ct);
        }

        return fired;
    }

    private async Task FireAsync(ScheduledObject scheduled, DateTimeOffset tick, CancellationToken ct)
    {
        var schedule = scheduled.Schedule;
        var request = new InvocationRequest
        {
            Id = InvocationIds.New(),
            InvokerPrivilege = schedule.Privilege,
            GatePath = schedule.GatePath,
            Payload = schedule.Payload,
            PayloadLabel = scheduled.FiringLabel,
            Sync = false,
        };
        var reply = await invoker.InvokeAsync(request, ct);
        // Ids and statuses only: the path and the payload are the schedule's data.
        GatewayLog.ScheduleFired(logger, scheduled.Id, tick, request.Id, reply.Status.ToString());
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
