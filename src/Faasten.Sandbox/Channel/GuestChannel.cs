using Faasten.Protocol;
using Faasten.Protocol.Framing;
using Faasten.Protocol.V1;
using Google.Protobuf;

namespace Faasten.Sandbox.Channel;

/// <summary>
/// The host end of one VM's channel: the Hello handshake, then invocations whose CloudCalls are
/// handed to an <see cref="ICloudCallHandler"/>. Works on any duplex stream, so protocol tests
/// drive it with an in-process fake guest. Any <see cref="ProtocolException"/> leaves the
/// channel unusable; the owner destroys the VM.
/// </summary>
internal sealed class GuestChannel : IAsyncDisposable
{
    private readonly Stream _stream;
    private readonly FrameReader _reader;
    private readonly FrameWriter _writer;
    private ulong _lastInvocationId;

    /// <summary>CloudCalls served over the channel's lifetime.</summary>
    public long CloudCalls { get; private set; }

    public GuestChannel(Stream stream, int maxFrameSize = FrameLimits.MaxFrameSize)
    {
        _stream = stream;
        _reader = new FrameReader(stream, maxFrameSize);
        _writer = new FrameWriter(stream, maxFrameSize);
    }

    /// <summary>Waits for the guest's Hello. Returns null if the guest hung up first.</summary>
    public async ValueTask<Hello?> ReadHelloAsync(CancellationToken cancellationToken)
    {
        var message = await _reader.ReadAsync(GuestMessage.Parser, cancellationToken).ConfigureAwait(false);
        if (message is null)
        {
            return null;
        }
        if (message.KindCase != GuestMessage.KindOneofCase.Hello)
        {
            throw new ProtocolException(ProtocolError.UnexpectedMessage, $"Expected Hello, got {Describe(message)}.");
        }
        if (message.Hello.ProtocolVersion != (uint)ProtocolVersion.Current)
        {
            throw new ProtocolException(
                ProtocolError.UnsupportedVersion,
                $"Guest speaks protocol version {message.Hello.ProtocolVersion}; this host speaks {(int)ProtocolVersion.Current}.");
        }
        return message.Hello;
    }

    /// <summary>
    /// Runs one invocation to its InvocationResult, serving CloudCalls one at a time. Returns null
    /// if the guest hung up (crashed or was killed) before answering.
    /// </summary>
    public async ValueTask<InvocationResult?> InvokeAsync(
        ReadOnlyMemory<byte> payload,
        ICloudCallHandler handler,
        CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? env = null,
        int logLimit = 0)
    {
        var id = ++_lastInvocationId;
        var start = new StartInvocation { InvocationId = id, Payload = UnsafeByteOperations.UnsafeWrap(payload), LogLimit = (uint)Math.Max(0, logLimit) };
        foreach (var (name, value) in env ?? new Dictionary<string, string>())
        {
            start.Env[name] = value;
        }

        await _writer.WriteAsync(new HostMessage { Start = start }, cancellationToken).ConfigureAwait(false);

        while (true)
        {
            var message = await _reader.ReadAsync(GuestMessage.Parser, cancellationToken).ConfigureAwait(false);
            switch (message?.KindCase)
            {
                case null:
                    return null;
                case GuestMessage.KindOneofCase.Call:
                    CloudCalls++;
                    var response = await DispatchAsync(message.Call, handler, cancellationToken).ConfigureAwait(false);
                    await _writer.WriteAsync(new HostMessage { Reply = response }, cancellationToken).ConfigureAwait(false);
                    break;
                case GuestMessage.KindOneofCase.Result when message.Result.InvocationId == id:
                    return message.Result;
                default:
                    throw new ProtocolException(
                        ProtocolError.UnexpectedMessage,
                        $"Unexpected {Describe(message)} during invocation {id}.");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _reader.Dispose();
        await _stream.DisposeAsync().ConfigureAwait(false);
    }

    private static async ValueTask<CloudCallResponse> DispatchAsync(
        CloudCallRequest request,
        ICloudCallHandler handler,
        CancellationToken cancellationToken)
    {
        CloudCallResponse response;
        if (request.CallCase == CloudCallRequest.CallOneofCase.None)
        {
            // A newer or broken guest; answer rather than guess, the handler never sees it.
            response = CloudCallReplies.Error(CloudCallErrorCode.BadRequest, "Empty or unknown CloudCall.");
        }
        else
        {
            try
            {
                // The token fires at the invocation's deadline. A handler that does not observe
                // it is abandoned then rather than awaited: the invocation ends as Timeout on
                // time, and the VM is destroyed, whatever the call is still doing.
                var pending = handler.HandleAsync(request, cancellationToken);
                response = pending.IsCompleted
                    ? await pending.ConfigureAwait(false)
                    : await pending.AsTask().WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
#pragma warning disable CA1031 // A kernel bug must not leak its details to the function, nor end the VM.
            catch (Exception)
#pragma warning restore CA1031
            {
                response = CloudCallReplies.Error(CloudCallErrorCode.Internal, "The kernel failed to serve this CloudCall.");
            }
            if (response is null || response.ResultCase == CloudCallResponse.ResultOneofCase.None)
            {
                response = CloudCallReplies.Error(CloudCallErrorCode.Internal, "The kernel returned no result.");
            }
        }
        response.Id = request.Id;
        return response;
    }

    private static string Describe(GuestMessage message) =>
        message.KindCase == GuestMessage.KindOneofCase.None ? "an empty message" : $"a {message.KindCase} message";
}
