using System.Buffers;
using System.Text.Json;
using Faasten.Fs;
using Faasten.Gateway.Http;
using Faasten.Gateway.Invocations;
using Faasten.Gateway.Json;
using Faasten.Gateway.Logging;
using Faasten.Protocol.Invocations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Faasten.Gateway.Events;

/// <summary>
/// The event server: GitHub-style webhook deliveries to triggers in the file system. The
/// signature is checked before anything runs; a verified event invokes the trigger's gate
/// asynchronously with the trigger's privilege and payload label, once per delivery id (the
/// signature covers only the body, so a captured delivery would otherwise run again and again).
/// </summary>
internal static class HookEndpoints
{
    private const int MaxHeaderChars = 256;

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPost(HookPath.RoutePrefix + "{**path}", ReceiveAsync)
            .WithMetadata(EventSourceMetadata.Instance)
            .JsonBody<JsonElement>()
            .PathParameter("path", "The trigger's Faasten-FS path, percent-encoded as one segment")
            .Anonymous()
            .Produces<IdResponse>(StatusCodes.Status202Accepted)
            .Produces<StatusResponse>()
            .Produces<ErrorBody>(StatusCodes.Status401Unauthorized)
            .Produces<ErrorBody>(StatusCodes.Status409Conflict)
            .WithSummary("A GitHub webhook delivery to the trigger at the (percent-encoded) path");
    }

    private static async Task<IResult> ReceiveAsync(HttpContext http, Computation computation, FileSystem fs, IInvoker invoker, GatewayOptions options, DeliveryLog deliveries, ILoggerFactory logs)
    {
        var path = HookPath.Decode(http);
        if (string.IsNullOrEmpty(path))
        {
            return ApiResults.BadPath("the trigger path is missing: POST /hooks/<percent-encoded trigger path>");
        }

        var (body, error) = await RequestBodies.ReadAsync(http, options.MaxHookBytes);
        if (body is null)
        {
            return error!;
        }

        using (body)
        {
            var opened = await fs.OpenTriggerAsync(computation.Context, path, http.RequestAborted);
            if (!opened.IsOk)
            {
                return ApiResults.FromFs(opened.WithoutValue());
            }

            // A trigger that anonymous senders cannot see is not theirs to fire: answering
            // 401 or 202 would already reveal it. Nothing runs.
            if (!computation.CanRelease)
            {
                return ApiResults.Withheld();
            }

            var trigger = opened.Value!;
            var headers = http.Request.Headers;
            var delivery = Clip(headers["X-GitHub-Delivery"].ToString());
            var logger = logs.CreateLogger(typeof(HookEndpoints).FullName!);
            if (!HubSignature.Verify(trigger.Secret, body.Memory.Span, headers[HubSignature.HeaderName].Count == 1 ? headers[HubSignature.HeaderName][0] : null))
            {
                GatewayLog.HookRejected(logger, path, delivery, "missing or wrong signature");
                return ApiResults.Unauthorized($"missing or invalid {HubSignature.HeaderName}");
            }

            var eventName = Clip(headers["X-GitHub-Event"].ToString());
            if (eventName.Length == 0)
            {
                return ApiResults.BadRequest("the X-GitHub-Event header is missing");
            }

            if (eventName == "ping")
            {
                return Results.Json(new StatusResponse("pong"), GatewayJsonContext.Default.StatusResponse);
            }

            // GitHub sends an id with every delivery; without one a replay could not be told apart.
            if (delivery.Length == 0)
            {
                return ApiResults.BadRequest("the X-GitHub-Delivery header is missing");
            }

            byte[] payload;
            try
            {
                payload = Payload(eventName, delivery, body.Memory.Span);
            }
            catch (JsonException)
            {
                return ApiResults.BadJson("the delivery body is not JSON (configure the webhook with content type application/json)");
            }

            // Recorded only now that the signature verified: nobody without the secret can use up ids.
            if (!deliveries.TryClaim(trigger, delivery, out var claim))
            {
                GatewayLog.HookRejected(logger, path, delivery, "replayed delivery");
                return ApiResults.Error(StatusCodes.Status409Conflict, ErrorCodes.Replayed, $"delivery {delivery} was already received: each delivery runs once");
            }

            var request = new InvocationRequest
            {
                Id = InvocationIds.New(),
                InvokerPrivilege = trigger.Privilege,
                GatePath = trigger.GatePath,
                Payload = payload,
                PayloadLabel = trigger.PayloadLabel,
                Sync = false,
            };
            InvocationReply reply;
            try
            {
                reply = await invoker.InvokeAsync(request, http.RequestAborted);
            }
            catch
            {
                deliveries.Forget(claim);
                throw;
            }

            if (reply.Status != InvocationStatus.Pending)
            {
                // Nothing runs, so the sender may redeliver it (GitHub does, with the same id).
                deliveries.Forget(claim);
                GatewayLog.HookRejected(logger, path, delivery, reply.Status.ToString());
                return InvokeReplies.ToResult(computation, reply);
            }

            GatewayLog.HookAccepted(logger, path, delivery, eventName, request.Id);
            return Results.Json(new IdResponse(request.Id), GatewayJsonContext.Default.IdResponse, statusCode: StatusCodes.Status202Accepted);
        }
    }

    /// <summary>The invocation payload <c>{"event", "delivery", "body"}</c>; throws <see cref="JsonException"/> when the body is not JSON.</summary>
    private static byte[] Payload(string eventName, string delivery, ReadOnlySpan<byte> body)
    {
        var buffer = new ArrayBufferWriter<byte>(body.Length + 128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("event", eventName);
            writer.WriteString("delivery", delivery);
            writer.WritePropertyName("body");
            writer.WriteRawValue(body, skipInputValidation: false);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static string Clip(string value) => value.Length <= MaxHeaderChars ? value : value[..MaxHeaderChars];
}
