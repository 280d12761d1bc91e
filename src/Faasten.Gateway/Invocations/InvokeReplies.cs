using System.Text;
using Faasten.Gateway.Http;
using Faasten.Gateway.Json;
using Faasten.Protocol.Labels;
using Faasten.Protocol.V1;
using Microsoft.AspNetCore.Http;
using Label = Faasten.Labels.Label;

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

    public static IResult ToResult(Computation computation, InvokeReply reply)
    {
        computation.Context.Taint(LabelOf(reply));
        return reply.Status switch
        {
            InvokeStatus.Ok => Results.Bytes(reply.Body.Memory, "application/json"),
            InvokeStatus.Pending => Results.Json(new StatusResponse("pending"), GatewayJsonContext.Default.StatusResponse, statusCode: StatusCodes.Status202Accepted),
            InvokeStatus.FunctionError => Error(StatusCodes.Status502BadGateway, ErrorCodes.FunctionError, reply, "the function raised an error"),
            InvokeStatus.Crashed => Error(StatusCodes.Status502BadGateway, ErrorCodes.Crashed, reply, "the function's VM crashed"),
            InvokeStatus.OutOfMemory => Error(StatusCodes.Status502BadGateway, ErrorCodes.Crashed, reply, "the function ran out of memory"),
            InvokeStatus.Forbidden => Error(StatusCodes.Status403Forbidden, ErrorCodes.Forbidden, reply, "the caller's privilege does not imply the gate's clearance"),
            InvokeStatus.NotFound => Error(StatusCodes.Status404NotFound, ErrorCodes.NotFound, reply, "no such gate"),
            InvokeStatus.QueueFull => Error(StatusCodes.Status429TooManyRequests, ErrorCodes.QueueFull, reply, "the invocation queue is full; retry later"),
            InvokeStatus.Timeout => Error(StatusCodes.Status504GatewayTimeout, ErrorCodes.Timeout, reply, "the function timed out"),
            InvokeStatus.BadRequest => Error(StatusCodes.Status400BadRequest, ErrorCodes.BadRequest, reply, "bad invocation request"),
            _ => Error(StatusCodes.Status500InternalServerError, ErrorCodes.Internal, reply, "internal error"),
        };
    }

    /// <summary>The reply's label; a missing or malformed one is treated as top secret, so a broken worker fails closed.</summary>
    public static Label LabelOf(InvokeReply reply)
    {
        if (reply.Label is null)
        {
            return Label.Top;
        }

        try
        {
            return reply.Label.FromProto();
        }
        catch (LabelMessageException)
        {
            return Label.Top;
        }
    }

    private static IResult Error(int status, string code, InvokeReply reply, string fallback)
    {
        var text = reply.Body.IsEmpty ? fallback : Encoding.UTF8.GetString(reply.Body.Span);
        if (text.Length > MaxErrorChars)
        {
            text = text[..MaxErrorChars] + "…";
        }

        return ApiResults.Error(status, code, text);
    }
}
