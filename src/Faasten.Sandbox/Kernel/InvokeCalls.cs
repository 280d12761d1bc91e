using System.Text;
using System.Text.Json;
using Faasten.Fs;
using Faasten.Protocol.Labels;
using Faasten.Protocol.V1;
using Label = Faasten.Labels.Label;

namespace Faasten.Sandbox.Kernel;

/// <summary>
/// invoke: a function calling another function through the scheduler. The request carries the
/// caller's authority and everything it has learned (its privilege and current label), so the
/// callee starts at least as high as the caller; a sync reply taints the caller with the
/// reply's label whatever the outcome, because even a failure can depend on what the callee read.
/// </summary>
internal sealed class InvokeCalls(SecurityContext ctx, IFunctionInvoker invoker, CloudCallKernelOptions options, uint depth)
{
    private const int MaxMessageChars = 64 * 1024;

    public async ValueTask<CloudCallResponse> InvokeAsync(Invoke call, CancellationToken ct)
    {
        if (depth + 1 > options.MaxInvokeDepth)
        {
            return KernelErrors.BadRequest($"invoke '{KernelErrors.Quote(call.Path)}': chains of calls may be at most {options.MaxInvokeDepth} deep");
        }

        if (!IsJson(call.Payload.Span))
        {
            return KernelErrors.BadRequest($"invoke '{KernelErrors.Quote(call.Path)}': the payload is not valid UTF-8 JSON");
        }

        var request = new InvokeRequest
        {
            Id = Guid.NewGuid().ToString("N"),
            InvokerPrivilege = ctx.Privilege.ToProto(),
            GatePath = call.Path,
            Payload = call.Payload,
            PayloadLabel = ctx.Label.ToProto(),
            Sync = call.Sync,
            Depth = depth + 1,
        };

        var reply = call.Sync
            ? await invoker.InvokeAsync(request, ct).ConfigureAwait(false)
            : await invoker.SubmitAsync(request, ct).ConfigureAwait(false);
        if (!TryTaint(reply))
        {
            return CloudCallReplies.Error(CloudCallErrorCode.Internal, $"invoke '{KernelErrors.Quote(call.Path)}': the reply carried a malformed label");
        }

        if (!call.Sync)
        {
            return reply.Status == InvokeStatus.Pending
                ? new CloudCallResponse { Invoke = new InvokeResult { InvocationId = string.IsNullOrEmpty(reply.Id) ? request.Id : reply.Id } }
                : Failed(call.Path, reply);
        }

        if (reply.Status != InvokeStatus.Ok)
        {
            return Failed(call.Path, reply);
        }

        return reply.Body.Length <= options.MaxInvokeResultBytes
            ? new CloudCallResponse { Invoke = new InvokeResult { Value = reply.Body } }
            : KernelErrors.TooLarge($"invoke '{KernelErrors.Quote(call.Path)}': the result is larger than {options.MaxInvokeResultBytes} bytes");
    }

    // A reply without a label learned nothing beyond the request's own label (e.g. a full
    // queue before any gate was resolved). A malformed one is a worker bug: fail closed at top.
    private bool TryTaint(InvokeReply reply)
    {
        if (reply.Label is null)
        {
            return true;
        }

        try
        {
            ctx.Taint(reply.Label.FromProto());
            return true;
        }
        catch (LabelMessageException)
        {
            ctx.Taint(Label.Top);
            return false;
        }
    }

    /// <summary>The callee's message (an error and its traceback) is released under the label the caller now carries.</summary>
    private static CloudCallResponse Failed(string path, InvokeReply reply)
    {
        var (code, what) = reply.Status switch
        {
            InvokeStatus.NotFound => (CloudCallErrorCode.NotFound, "not found"),
            InvokeStatus.Forbidden => (CloudCallErrorCode.PrivilegeDenied, "forbidden: the caller's privilege does not imply the gate's clearance"),
            InvokeStatus.BadRequest => (CloudCallErrorCode.BadRequest, "bad request"),
            InvokeStatus.Timeout => (CloudCallErrorCode.Timeout, "timed out"),
            InvokeStatus.FunctionError => (CloudCallErrorCode.InvocationFailed, "the function raised"),
            InvokeStatus.OutOfMemory => (CloudCallErrorCode.InvocationFailed, "out of memory"),
            InvokeStatus.Crashed => (CloudCallErrorCode.InvocationFailed, "the function's VM crashed"),
            InvokeStatus.QueueFull => (CloudCallErrorCode.InvocationFailed, "the invocation queue is full"),
            InvokeStatus.Internal => (CloudCallErrorCode.InvocationFailed, "internal error"),
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
