using Faasten.Kernel;
using Faasten.Protocol;
using Faasten.Protocol.V1;
using Google.Protobuf;

namespace Faasten.Benchmarks.Sandbox;

/// <summary>
/// The cheapest possible kernel: a constant label, and one in-memory blob served without copying.
/// What remains in a measurement is the channel, the framing and the Python runtime.
/// </summary>
internal sealed class StaticKernel(byte[]? blob = null) : ICloudCallHandler
{
    private readonly CloudCallResponse _label = new() { Label = new LabelResult { Label = "T,T" } };

    public ValueTask<CloudCallResponse> HandleAsync(CloudCallRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(request.CallCase switch
        {
            CloudCallRequest.CallOneofCase.GetCurrentLabel => _label,
            CloudCallRequest.CallOneofCase.BlobOpen => new CloudCallResponse
            {
                BlobOpen = new BlobOpenResult { Handle = 1, Size = (ulong)blob!.Length, Hash = "bench" },
            },
            CloudCallRequest.CallOneofCase.BlobRead => Read(request.BlobRead),
            _ => new CloudCallResponse { Done = new Done() },
        });

    private CloudCallResponse Read(BlobRead read)
    {
        var offset = (int)Math.Min(read.Offset, (ulong)blob!.Length);
        var length = Math.Min((int)read.Length, blob.Length - offset);
        return new CloudCallResponse { BlobRead = new BlobReadResult { Data = UnsafeByteOperations.UnsafeWrap(blob.AsMemory(offset, length)) } };
    }
}
