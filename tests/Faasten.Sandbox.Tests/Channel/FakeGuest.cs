using System.Net;
using System.Net.Sockets;
using Faasten.Protocol.Framing;
using Faasten.Protocol.V1;
using Google.Protobuf;

namespace Faasten.Sandbox.Tests.Channel;

/// <summary>The guest end of a channel, played in-process over a loopback socket pair.</summary>
internal sealed class FakeGuest : IAsyncDisposable
{
    private readonly NetworkStream _stream;
    private readonly FrameReader _reader;
    private readonly FrameWriter _writer;

    private FakeGuest(NetworkStream guest, NetworkStream host)
    {
        _stream = guest;
        _reader = new FrameReader(guest);
        _writer = new FrameWriter(guest);
        HostStream = host;
    }

    /// <summary>The host's end, for a GuestChannel.</summary>
    public NetworkStream HostStream { get; }

    public static async Task<FakeGuest> ConnectAsync()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        var server = await listener.AcceptTcpClientAsync();
        return new FakeGuest(client.GetStream(), server.GetStream());
    }

    public ValueTask SendAsync(GuestMessage message) => _writer.WriteAsync(message);

    public ValueTask SendCallAsync(ulong id, CloudCallRequest call)
    {
        call.Id = id;
        return SendAsync(new GuestMessage { Call = call });
    }

    public async Task SendRawAsync(byte[] bytes) => await _stream.WriteAsync(bytes);

    public async Task<HostMessage> ReceiveAsync() =>
        await _reader.ReadAsync(HostMessage.Parser) ?? throw new EndOfStreamException("the host closed the channel");

    public void HangUp() => _stream.Socket.Shutdown(SocketShutdown.Both);

    public static GuestMessage Hello(uint version = (uint)ProtocolVersion.Current) =>
        new() { Hello = new Hello { ProtocolVersion = version, Runtime = "fake" } };

    public static GuestMessage Result(ulong invocation, string json) =>
        new() { Result = new InvocationResult { InvocationId = invocation, Value = ByteString.CopyFromUtf8(json) } };

    public async ValueTask DisposeAsync()
    {
        _reader.Dispose();
        await _stream.DisposeAsync();
        await HostStream.DisposeAsync();
    }
}
