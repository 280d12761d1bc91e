using System.Text;
using Faasten.Gateway.Http;
using Faasten.Gateway.Json;
using Faasten.Gateway.Logging;
using Faasten.Protocol.Invocations;
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
            .JsonBody<InvokeBody>("path")
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .Produces<IdResponse>(StatusCodes.Status202Accepted)
            .Produces<ErrorBody>(StatusCodes.Status404NotFound)
            .Produces<ErrorBody>(StatusCodes.Status429TooManyRequests)
            .Produces<ErrorBody>(StatusCodes.Status502BadGateway)
            .Produces<ErrorBody>(StatusCodes.Status504GatewayTimeout)
            .WithSummary("Invoke a gate: sync answers with the function's JSON result, async with an id");
        api.MapGet("/invocations/{id}", GetResultAsync)
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .Produces<StatusResponse>(StatusCodes.Status202Accepted)
            .Produces<ErrorBody>(StatusCodes.Status404NotFound)
            .WithSummary("The result of an async invocation");
    }

    private static async Task<IResult> InvokeAsync(HttpContext http, Computation computation, IInvoker invoker, GatewayOptions options, ILoggerFactory logs)
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
        var request = new InvocationRequest
        {
            Id = InvocationIds.New(),
            InvokerPrivilege = computation.Caller.Privilege,
            GatePath = body.Path,
            Payload = payload,
            PayloadLabel = label ?? computation.Context.Label,
            Sync = body.Sync ?? true,
        };

        var logger = logs.CreateLogger(typeof(InvokeEndpoints).FullName!);

        // The id is random and chosen before anything ran, so it may go out on every answer,
        // withheld ones too: with it the caller fetches the invocation's logs and record.
        http.Response.Headers[InvocationIds.Header] = request.Id;
        var reply = await invoker.InvokeAsync(request, http.RequestAborted);
        if (request.Sync)
        {
            GatewayLog.InvocationCompleted(logger, request.Id, request.GatePath, reply.Status.ToString());
            return InvokeReplies.ToResult(computation, reply);
        }

        GatewayLog.InvocationSubmitted(logger, request.Id, request.GatePath, reply.Status.ToString());
        return reply.Status == InvocationStatus.Pending
            ? Results.Json(new IdResponse(request.Id), GatewayJsonContext.Default.IdResponse, statusCode: StatusCodes.Status202Accepted)
            : InvokeReplies.ToResult(computation, reply);
    }

    private static async Task<IResult> GetResultAsync(string id, Computation computation, IInvocationResults results, HttpContext http)
    {
        var reply = id.Length <= InvocationIds.MaxLength ? await results.GetAsync(id, http.RequestAborted) : null;
        return reply is null
            ? ApiResults.NotFound("no such invocation (unknown, or its result has expired)")
            : InvokeReplies.ToResult(computation, reply);
    }
}
