using System.Net.Sockets;

namespace Faasten.Sandbox.Bubblewrap;

/// <summary>A one-use listener for one child's two connections; its socket file goes with it.</summary>
internal sealed class ForkListener : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
    private readonly string _path;

    public ForkListener(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("VM channels are Unix sockets on Linux.");
        }
        _path = path;
        try
        {
            _socket.Bind(new UnixDomainSocketEndPoint(path));
            _socket.Listen(2);
            File.SetUnixFileMode(path, (UnixFileMode)0b110_110_110);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public ValueTask<Socket> AcceptAsync(CancellationToken cancellationToken) => _socket.AcceptAsync(cancellationToken);

    public void Dispose()
    {
        _socket.Dispose();
        File.Delete(_path);
    }
}
