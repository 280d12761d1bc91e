using System.Text;
using Faasten.Gateway.Http;
using Faasten.Gateway.Json;
using Faasten.Gateway.Logging;
using Faasten.Protocol.Labels;
using Faasten.Protocol.V1;
using Faasten.Worker;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Faasten.Gateway.Invocations;

/// <summary>
/// POST /invoke and GET /invocations/{id}. The gateway only builds the request (invoker
/// privilege from the token); the worker resolves and authorizes the gate (DESIGN §4).
/// </summary>
internal static class InvokeEndpoints
{
    private static readonly byte[] JsonNull = "null"u8.ToArray();

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPost("/invoke", InvokeAsync)
            .JsonBody<InvokeBody>()
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .Produces<IdResponse>(StatusCodes.Status202Accepted)
            .Produces<ErrorBody>(StatusCodes.Status429TooManyRequests)
            .WithSummary("Invoke a gate: sync answers with the function's JSON result, async with an id");
        api.MapGet("/invocations/{id}", GetResult)
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .Produces<StatusResponse>(StatusCodes.Status202Accepted)
            .Produces<ErrorBody>(StatusCodes.Status404NotFound)
            .WithSummary("The result of an async invocation");
    }

    private static async Task<IResult> InvokeAsync(HttpContext http, Computation computation, IInvocationScheduler scheduler, GatewayOptions options, ILoggerFactory logs)
    {
        var (body, error) = await RequestBodies.ReadJsonAsync(http, GatewayJsonContext.Default.InvokeBody, options.MaxJsonBytes);
        if (body is null)
        {
            return error!;
        }

        if (!Args.TryRequired(body.Path, "path", out error) || !Args.TryLabel(body.Label, "label", required: false, out var label, out error))
        {
            return error;
        }

        var payload = body.Payload is { } p ? Encoding.UTF8.GetBytes(p.GetRawText()) : JsonNull;
        var request = new InvokeRequest
        {
            Id = InvocationIds.New(),
            InvokerPrivilege = computation.Caller.Privilege.ToProto(),
            GatePath = body.Path,
            Payload = UnsafeByteOperations.UnsafeWrap(payload),
            PayloadLabel = (label ?? computation.Context.Label).ToProto(),
            Sync = body.Sync ?? true,
        };

        var logger = logs.CreateLogger(typeof(InvokeEndpoints).FullName!);
        if (request.Sync)
        {
            var reply = await scheduler.InvokeAsync(request, http.RequestAborted);
            GatewayLog.InvocationCompleted(logger, request.Id, request.GatePath, reply.Status.ToString());
            return InvokeReplies.ToResult(computation, reply);
        }

        var submitted = await scheduler.SubmitAsync(request, http.RequestAborted);
        GatewayLog.InvocationSubmitted(logger, request.Id, request.GatePath, submitted.Status.ToString());
        return submitted.Status == InvokeStatus.Pending
            ? Results.Json(new IdResponse(request.Id), GatewayJsonContext.Default.IdResponse, statusCode: StatusCodes.Status202Accepted)
            : InvokeReplies.ToResult(computation, submitted);
    }

    private static IResult GetResult(string id, Computation computation, IInvocationScheduler scheduler)
    {
        var reply = id.Length <= InvocationIds.MaxLength ? scheduler.TryGetResult(id) : null;
        return reply is null
            ? ApiResults.NotFound("no such invocation (unknown, or its result has expired)")
            : InvokeReplies.ToResult(computation, reply);
    }
}
