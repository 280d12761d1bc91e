using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace Faasten.Gateway;

/// <summary>Where and how the gateway listens.</summary>
/// <param name="Address">Port 0 picks a free port.</param>
/// <param name="Certificate">Serve HTTPS with this certificate (and its private key); null serves HTTP.</param>
/// <param name="ShutdownTimeout">How long stopping waits for requests in flight.</param>
public sealed record GatewayEndpoint(IPEndPoint Address, X509Certificate2? Certificate, TimeSpan ShutdownTimeout);
