using System.Globalization;
using Faasten.Fs;
using Faasten.Fs.Paths;
using Faasten.Fs.Records;
using Faasten.Gateway.Http;
using Faasten.Gateway.Json;
using Faasten.Protocol.Invocations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Faasten.Gateway.Invocations;

/// <summary>
/// Invocation records, logs and trails (DESIGN §9). Each record is released under rule 7 with
/// its own label; one the caller may not read is answered exactly like an unknown id (404), and
/// a listing skips such records without counting them: its cursor is made from the last record
/// it shows, so nothing in the answer depends on what it skipped.
/// </summary>
internal static class RecordEndpoints
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 1000;

    private const string NotFoundMessage = "no such invocation (unknown, expired, or not visible to the caller)";

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/invocations/{id}/logs", GetLogsAsync)
            .Produces<LogsResponse>()
            .Produces<StatusResponse>(StatusCodes.Status202Accepted)
            .Produces<ErrorBody>(StatusCodes.Status404NotFound)
            .WithSummary("What the function wrote to stdout and stderr during one invocation");
        api.MapGet("/invocations/{id}/record", GetRecordAsync)
            .Produces<RecordResponse>()
            .Produces<StatusResponse>(StatusCodes.Status202Accepted)
            .Produces<ErrorBody>(StatusCodes.Status404NotFound)
            .WithSummary("One invocation's record, with its taint trail");
        api.MapGet("/invocations", ListAsync)
            .Produces<RecordListResponse>()
            .Produces<ErrorBody>(StatusCodes.Status400BadRequest)
            .WithSummary("Invocation records the caller may read, newest first");
    }

    private static async Task<IResult> GetLogsAsync(string id, Computation computation, GatewayBackends backends, HttpContext http)
    {
        var (record, answer) = await FindAsync(id, computation, backends, http.RequestAborted);
        return record is null
            ? answer!
            : Results.Json(new LogsResponse(record.Id, record.Logs, record.LogsTruncated, record.Label.ToString()), GatewayJsonContext.Default.LogsResponse);
    }

    private static async Task<IResult> GetRecordAsync(string id, Computation computation, GatewayBackends backends, HttpContext http)
    {
        var (record, answer) = await FindAsync(id, computation, backends, http.RequestAborted);
        return record is null
            ? answer!
            : Results.Json(Show(record) with { Trail = record.Trail.Select(s => new TrailStepResponse(s.What, s.Label.ToString())).ToArray() }, GatewayJsonContext.Default.RecordResponse);
    }

    private static async Task<IResult> ListAsync(Computation computation, GatewayBackends backends, HttpContext http)
    {
        if (!Args.TryQuery(http, "gate", required: false, out var gateText, out var error)
            || !Args.TryQuery(http, "limit", required: false, out var limitText, out error)
            || !Args.TryQuery(http, "cursor", required: false, out var cursorText, out error))
        {
            return error;
        }

        var limit = DefaultLimit;
        if (limitText is not null && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
        {
            return ApiResults.BadRequest($"'limit' must be an integer from 1 to {MaxLimit}");
        }

        RecordCursor? after = null;
        if (cursorText is not null)
        {
            if (!RecordCursor.TryParse(cursorText, out after))
            {
                return ApiResults.BadRequest("'cursor' is not a cursor this server returned");
            }
        }

        string? gate = null;
        if (gateText is not null)
        {
            if (!FsPath.TryParse(gateText, out var path, out var pathError))
            {
                return ApiResults.BadPath($"bad path in 'gate': {pathError}");
            }

            gate = path.ExpandHome(computation.Caller.Privilege).ToString();
        }

        var shown = new List<RecordResponse>(Math.Min(limit, 64));
        InvocationRecord? last = null;
        if (backends.Records is { } records)
        {
            // Reads past unreadable records until the page is full or the records end; how far
            // it read shows nowhere in the answer.
            var batch = Math.Max(limit, 100);
            var position = after;
            while (shown.Count < limit)
            {
                var page = await records.ListAsync(gate, position, batch, http.RequestAborted);
                foreach (var record in page)
                {
                    if (shown.Count == limit)
                    {
                        break;
                    }

                    if (Readable(record, computation))
                    {
                        computation.Context.Taint(record.Label);
                        shown.Add(Show(record));
                        last = record;
                    }
                }

                if (page.Count < batch)
                {
                    break;
                }

                position = RecordCursor.After(page[^1]);
            }
        }

        var next = shown.Count == limit && last is not null ? RecordCursor.After(last).ToString() : null;
        return Results.Json(new RecordListResponse(shown, next), GatewayJsonContext.Default.RecordListResponse);
    }

    /// <summary>The record if the caller may read it (the computation then carries its label); else the answer for an unknown id.</summary>
    private static async Task<(InvocationRecord? Record, IResult? Answer)> FindAsync(string id, Computation computation, GatewayBackends backends, CancellationToken ct)
    {
        if (id.Length > InvocationIds.MaxLength || backends.Records is null)
        {
            return (null, ApiResults.NotFound(NotFoundMessage));
        }

        var record = await backends.Records.GetAsync(id, ct);
        if (record is null)
        {
            // Still running: as GET /invocations/{id} says of it (ids are unguessable).
            var result = await backends.Results.GetAsync(id, ct);
            return (null, result?.Status == InvocationStatus.Pending
                ? Results.Json(new StatusResponse("pending"), GatewayJsonContext.Default.StatusResponse, statusCode: StatusCodes.Status202Accepted)
                : ApiResults.NotFound(NotFoundMessage));
        }

        if (!Readable(record, computation))
        {
            return (null, ApiResults.NotFound(NotFoundMessage));
        }

        computation.Context.Taint(record.Label);
        return (record, null);
    }

    private static bool Readable(InvocationRecord record, Computation computation) =>
        SecurityContext.CanRelease(record.Label, computation.RequestLabel, computation.Caller.Privilege);

    private static RecordResponse Show(InvocationRecord record) => new(
        record.Id,
        record.Gate,
        record.Status,
        Time(record.Queued),
        record.Started is { } started ? Time(started) : null,
        record.Finished is { } finished ? Time(finished) : null,
        record.Cold,
        record.Vm,
        record.Worker,
        record.Label.ToString());

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
