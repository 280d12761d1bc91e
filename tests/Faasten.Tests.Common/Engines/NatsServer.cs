namespace Faasten.Tests.Common.Engines;

/// <summary>
/// nats-server with JetStream (Debian's package; scripts/setup.sh installs it) on loopback over a
/// private store directory. Tests that restart it start a new process on the same port and directory.
/// </summary>
public static class NatsServer
{
    public static Task<LoopbackService> StartAsync(string? directory = null, int? port = null) =>
        LoopbackService.StartAsync("nats", FindExecutable(), (p, dir) =>
            ["-a", "127.0.0.1", "-p", p.ToString(System.Globalization.CultureInfo.InvariantCulture), "-js", "-sd", Path.Combine(dir, "js")], directory, port);

    public static string Url(LoopbackService server) => $"nats://127.0.0.1:{server.Port}";

    private static string FindExecutable() =>
        Environment.GetEnvironmentVariable("FAASTEN_NATS_SERVER") is { Length: > 0 } configured ? configured
        : File.Exists("/usr/sbin/nats-server") ? "/usr/sbin/nats-server"
        : "nats-server";
}
