using Faasten.Protocol.Invocations;

namespace Faasten.Worker.Metrics;

/// <summary>Status names as records and metrics spell them: snake case (<c>ok</c>, <c>function_error</c>, <c>out_of_memory</c>).</summary>
public static class InvocationStatusNames
{
    public static string Of(InvocationStatus status) => status switch
    {
        InvocationStatus.Ok => "ok",
        InvocationStatus.FunctionError => "function_error",
        InvocationStatus.Forbidden => "forbidden",
        InvocationStatus.NotFound => "not_found",
        InvocationStatus.QueueFull => "queue_full",
        InvocationStatus.Timeout => "timeout",
        InvocationStatus.OutOfMemory => "out_of_memory",
        InvocationStatus.Crashed => "crashed",
        InvocationStatus.BadRequest => "bad_request",
        InvocationStatus.Internal => "internal",
        InvocationStatus.Pending => "pending",
        _ => "unspecified",
    };
}
