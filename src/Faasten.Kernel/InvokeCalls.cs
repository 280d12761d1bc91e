using System.Text;
using System.Text.Json;
using Faasten.Fs;
using Faasten.Protocol;
using Faasten.Protocol.Invocations;
using Faasten.Protocol.V1;
using Google.Protobuf;

namespace Faasten.Kernel;

/// <summary>
/// invoke: a function calling another function through the scheduler. The request carries the
/// caller's authority and everything it has learned (its privilege and current label), so the
/// callee starts at least as high as the caller; a sync reply taints the caller with the
/// reply's label whatever the outcome, because even a failure can depend on what the callee read.
/// </summary>
internal sealed class InvokeCalls(SecurityContext ctx, IInvoker invoker, CloudCallKernelOptions options, int depth)
{
    private const int MaxMessageChars = 64 * 1024;

    public async ValueTask<CloudCallResponse> InvokeAsync(Invoke call, CancellationToken ct)
    {
        // Not depth + 1: a depth decoded from the wire may be int.MaxValue.
        if (depth >= options.MaxInvokeDepth)
        {
            return KernelErrors.BadRequest($"invoke '{KernelErrors.Quote(call.Path)}': chains of calls may be at most {options.MaxInvokeDepth} deep");
        }

        if (!IsJson(call.Payload.Span))
        {
            return KernelErrors.BadRequest($"invoke '{KernelErrors.Quote(call.Path)}': the payload is not valid UTF-8 JSON");
        }

        var request = new InvocationRequest
        {
            Id = Guid.NewGuid().ToString("N"),
            InvokerPrivilege = ctx.Privilege,
            GatePath = call.Path,
            Payload = call.Payload.Memory,
            PayloadLabel = ctx.Label,
            Sync = call.Sync,
            Depth = depth + 1,
        };

        var reply = await invoker.InvokeAsync(request, ct).ConfigureAwait(false);
        ctx.Taint(reply.Label);
        if (!call.Sync)
        {
            return reply.Status == InvocationStatus.Pending
                ? new CloudCallResponse { Invoke = new InvokeResult { InvocationId = string.IsNullOrEmpty(reply.Id) ? request.Id : reply.Id } }
                : Failed(call.Path, reply);
        }

        if (reply.Status != InvocationStatus.Ok)
        {
            return Failed(call.Path, reply);
        }

        return reply.Body.Length <= options.MaxInvokeResultBytes
            ? new CloudCallResponse { Invoke = new InvokeResult { Value = ByteString.CopyFrom(reply.Body.Span) } }
            : KernelErrors.TooLarge($"invoke '{KernelErrors.Quote(call.Path)}': the result is larger than {options.MaxInvokeResultBytes} bytes");
    }

    /// <summary>The callee's message (an error and its traceback) is released under the label the caller now carries.</summary>
    private static CloudCallResponse Failed(string path, InvocationReply reply)
    {
        var (code, what) = reply.Status switch
        {
            InvocationStatus.NotFound => (CloudCallErrorCode.NotFound, "not found"),
            InvocationStatus.Forbidden => (CloudCallErrorCode.PrivilegeDenied, "forbidden: the caller's privilege does not imply the gate's clearance"),
            InvocationStatus.BadRequest => (CloudCallErrorCode.BadRequest, "bad request"),
            InvocationStatus.Timeout => (CloudCallErrorCode.Timeout, "timed out"),
            InvocationStatus.FunctionError => (CloudCallErrorCode.InvocationFailed, "the function raised"),
            InvocationStatus.OutOfMemory => (CloudCallErrorCode.InvocationFailed, "out of memory"),
            InvocationStatus.Crashed => (CloudCallErrorCode.InvocationFailed, "the function's VM crashed"),
            InvocationStatus.QueueFull => (CloudCallErrorCode.InvocationFailed, "the invocation queue is full"),
            InvocationStatus.Internal => (CloudCallErrorCode.InvocationFailed, "internal error"),
            _ => (CloudCallErrorCode.InvocationFailed, $"unexpected status {reply.Status}"),
        };

        var message = $"invoke '{KernelErrors.Quote(path)}': {what}";
        if (!reply.Body.IsEmpty)
        {
            var body = Encoding.UTF8.GetString(reply.Body.Span);
            message += ": " + (body.Length <= MaxMessageChars ? body : body[..MaxMessageChars] + "…");
        }

        return CloudCallReplies.Error(code, message);
    }

    private static bool IsJson(ReadOnlySpan<byte> payload)
    {
        try
        {
            var reader = new Utf8JsonReader(payload, new JsonReaderOptions { MaxDepth = 256 });
            while (reader.Read())
            {
            }

            return reader.BytesConsumed > 0;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
