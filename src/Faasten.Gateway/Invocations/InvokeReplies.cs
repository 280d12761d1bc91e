using Faasten.Gateway.Http;
using Faasten.Gateway.Json;
using Faasten.Protocol.Invocations;
using Microsoft.AspNetCore.Http;

namespace Faasten.Gateway.Invocations;

/// <summary>
/// Turns a worker's reply into the HTTP answer. The reply's label taints the request's
/// computation first (as a sync call taints its caller), so the release stage applies rule 7
/// to the result and to any error text alike.
/// </summary>
internal static class InvokeReplies
{
    // Error bodies carry a message and maybe a traceback; more than this is noise.
    private const int MaxErrorChars = 16 * 1024;

    public static IResult ToResult(Computation computation, InvocationReply reply)
    {
        computation.Context.Taint(reply.Label);
        return reply.Status switch
        {
            InvocationStatus.Ok => Results.Bytes(reply.Body, "application/json"),
            InvocationStatus.Pending => Results.Json(new StatusResponse("pending"), GatewayJsonContext.Default.StatusResponse, statusCode: StatusCodes.Status202Accepted),
            InvocationStatus.FunctionError => Error(StatusCodes.Status502BadGateway, ErrorCodes.FunctionError, reply, "the function raised an error"),
            InvocationStatus.Crashed => Error(StatusCodes.Status502BadGateway, ErrorCodes.Crashed, reply, "the function's VM crashed"),
            InvocationStatus.OutOfMemory => Error(StatusCodes.Status502BadGateway, ErrorCodes.Crashed, reply, "the function ran out of memory"),
            InvocationStatus.Forbidden => Error(StatusCodes.Status403Forbidden, ErrorCodes.Forbidden, reply, "the caller's privilege does not imply the gate's clearance"),
            InvocationStatus.NotFound => Error(StatusCodes.Status404NotFound, ErrorCodes.NotFound, reply, "no such gate"),
            InvocationStatus.QueueFull => Error(StatusCodes.Status429TooManyRequests, ErrorCodes.QueueFull, reply, "the invocation queue is full; retry later"),
            InvocationStatus.Timeout => Error(StatusCodes.Status504GatewayTimeout, ErrorCodes.Timeout, reply, "the function timed out"),
            InvocationStatus.BadRequest => Error(StatusCodes.Status400BadRequest, ErrorCodes.BadRequest, reply, "bad invocation request"),
            _ => Error(StatusCodes.Status500InternalServerError, ErrorCodes.Internal, reply, "internal error"),
        };
    }

    private static IResult Error(int status, string code, InvocationReply reply, string fallback)
    {
        var text = reply.Body.IsEmpty ? fallback : reply.BodyText;
        if (text.Length > MaxErrorChars)
        {
            text = text[..MaxErrorChars] + "…";
        }

        return ApiResults.Error(status, code, text);
    }
}
