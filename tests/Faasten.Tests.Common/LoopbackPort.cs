using System.Net;
using System.Net.Sockets;

namespace Faasten.Tests.Common;

/// <summary>Ports for servers the tests start on 127.0.0.1.</summary>
public static class LoopbackPort
{
    /// <summary>A port that was free a moment ago (the kernel's pick for port 0).</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
