using System.Text;
using System.Text.Json;
using Faasten.Protocol.Invocations;
using Faasten.Sandbox.Vm;

namespace Faasten.Sandbox.Tests.Support;

internal static class OutcomeAssert
{
    /// <summary>Asserts the invocation succeeded and returns its JSON result.</summary>
    public static JsonElement Ok(InvocationOutcome outcome)
    {
        Assert.True(
            outcome.Status == InvocationStatus.Ok,
            $"Expected Ok, got {outcome.Status}: {outcome.Message} {Encoding.UTF8.GetString(outcome.Body.Span)}");
        return JsonDocument.Parse(outcome.Body).RootElement.Clone();
    }

    /// <summary>Asserts the function raised and returns the error object.</summary>
    public static JsonElement FunctionError(InvocationOutcome outcome)
    {
        Assert.True(
            outcome.Status == InvocationStatus.FunctionError,
            $"Expected FunctionError, got {outcome.Status}: {outcome.Message}");
        return JsonDocument.Parse(outcome.Body).RootElement.Clone();
    }
}
