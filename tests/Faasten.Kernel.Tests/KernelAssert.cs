using Faasten.Kernel;
using Faasten.Protocol.V1;

namespace Faasten.Kernel.Tests;

internal static class KernelAssert
{
    public static async Task<CloudCallResponse> OkAsync(CloudCallKernel kernel, CloudCallRequest request)
    {
        var reply = await kernel.HandleAsync(request, CancellationToken.None);
        Assert.True(reply.ResultCase != CloudCallResponse.ResultOneofCase.Error, $"expected success, got {reply.Error}");
        return reply;
    }

    public static async Task<CloudCallError> FailsAsync(CloudCallKernel kernel, CloudCallRequest request, CloudCallErrorCode code)
    {
        var reply = await kernel.HandleAsync(request, CancellationToken.None);
        Assert.Equal(CloudCallResponse.ResultOneofCase.Error, reply.ResultCase);
        Assert.Equal(code, reply.Error.Code);
        Assert.False(string.IsNullOrWhiteSpace(reply.Error.Message));
        return reply.Error;
    }

    public static async Task<string> LabelAsync(CloudCallKernel kernel) =>
        (await OkAsync(kernel, new CloudCallRequest { GetCurrentLabel = new GetCurrentLabel() })).Label.Label;
}
