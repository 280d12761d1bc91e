using System.Net.Sockets;

namespace Faasten.Sandbox.Channel;

/// <summary>
/// The socket a VM's runtime connects to: a Unix stream socket in a per-VM directory that is
/// bind-mounted into the sandbox. Exactly one connection is accepted; then the socket file is
/// removed and the listener closed, so nothing else can ever join the channel.
/// </summary>
/// <remarks>
/// A socket reached by path (rather than one inherited across exec) keeps every descriptor
/// the host opens close-on-exec: a concurrently started VM can never inherit another VM's
/// channel. The directory name is random and its parent is not listable.
/// </remarks>
internal sealed class ChannelListener : IDisposable
{
    public const string SocketName = "channel.sock";

    private readonly Socket _listener;

    public ChannelListener(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("VM channels are Unix sockets on Linux.");
        }
        Directory = directory;
        SocketPath = Path.Combine(directory, SocketName);
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            _listener.Bind(new UnixDomainSocketEndPoint(SocketPath));
            _listener.Listen(1);
            // connect(2) needs write permission on the socket file; the guest runs as another user.
            File.SetUnixFileMode(SocketPath, (UnixFileMode)0b110_110_110);
        }
        catch
        {
            _listener.Dispose();
            throw;
        }
    }

    public string Directory { get; }

    public string SocketPath { get; }

    /// <summary>Accepts the guest's connection as a socket and retires the listener.</summary>
    public async ValueTask<Socket> AcceptSocketAsync(CancellationToken cancellationToken)
    {
        var socket = await _listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
        Dispose();
        return socket;
    }

    /// <summary>Accepts the guest's connection and retires the listener.</summary>
    public async ValueTask<Stream> AcceptAsync(CancellationToken cancellationToken)
    {
        var socket = await _listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
        Dispose();
        return new NetworkStream(socket, ownsSocket: true);
    }

    public void Dispose()
    {
        _listener.Dispose();
        File.Delete(SocketPath);
    }
}
