using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Faasten.FunctionalTests.Stack;
using Faasten.Tests.Common;
using static Faasten.FunctionalTests.Stack.Api;

namespace Faasten.FunctionalTests.Gateway;

/// <summary>
/// <c>faasten serve --config</c> as an operator configures it: the worker's slots and memory
/// budget bound how many invocations run at once, TLS serves HTTPS, and JSON logs are JSON.
/// </summary>
public sealed class ServeConfigurationTests : IDisposable
{
    // Each run reports when it slept, so the test can count how many ran at the same time.
    private const string Sleeper = """
        import time

        def handle(event, cloudcall):
            started = time.time()
            time.sleep(1)
            return {"started": started, "ended": time.time()}
        """;

    private readonly TempDirectory _dir = new("fsc");

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(8, 4096, 8)]
    [InlineData(4, 4096, 4)]
    [InlineData(8, 256, 2)] // two 128 MB VMs fit the budget, whatever the slots
    public async Task WorkerSlotsAndMemoryBudget_BoundTheInvocationsThatRunAtOnce(int slots, int memoryBudgetMb, int expected)
    {
        var config = Config($"worker: {{slots: {slots}, memoryBudgetMb: {memoryBudgetMb}}}\n");
        await using var server = await StartWithAliceAsync(config);
        using var alice = await AliceAsync(server.Address);
        await RegisterAsync(alice, Sleeper);

        await RunEightAsync(alice); // starts the VMs; the round measured below reuses them
        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        var runs = await RunEightAsync(alice);
        elapsed.Stop();

        Assert.Equal(expected, MostAtOnce(runs));
        // Eight one-second runs in waves of `expected`: never faster than the waves allow, and
        // (warm) not much slower.
        var waves = (8 + expected - 1) / expected;
        Assert.True(elapsed.Elapsed >= TimeSpan.FromSeconds(waves) - TimeSpan.FromMilliseconds(50), $"{elapsed.Elapsed} for {waves} waves");
        Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(waves + 0.9), $"{elapsed.Elapsed} for {waves} waves");
    }

    [Fact]
    public async Task Tls_ServesHttpsWithTheConfiguredCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=faasten-test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        await File.WriteAllTextAsync(_dir.Combine("cert.pem"), certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(_dir.Combine("key.pem"), key.ExportPkcs8PrivateKeyPem());
        var config = Config($"tls: {{certificate: {_dir.Combine("cert.pem")}, key: {_dir.Combine("key.pem")}}}\n");

        await using var server = await ServerProcess.StartAsync(_dir.Combine("data"), config);

        Assert.Equal("https", server.Address.Scheme);
        string? presented = null;
        using var handler = new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, cert, _, _) => (presented = cert?.GetCertHashString()) == certificate.GetCertHashString() },
        };
        using var client = new HttpClient(handler) { BaseAddress = server.Address };
        var me = await (await client.GetAsync("/auth/me")).OkJsonAsync();
        Assert.True(me.TryGetProperty("privilege", out _), me.ToString());
        Assert.Equal(certificate.GetCertHashString(), presented);

        // Plain HTTP on the same port gets no API answer.
        using var plain = new HttpClient { BaseAddress = new Uri($"http://{server.Address.Authority}") };
        var answered = await Record.ExceptionAsync(async () =>
        {
            using var response = await plain.GetAsync("/auth/me");
            Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        });
        Assert.True(answered is null or HttpRequestException, answered?.ToString());
    }

    [Fact]
    public async Task JsonLogging_WritesOneJsonObjectPerLogLine()
    {
        var config = Config("logging: {format: json}\n");

        await using var server = await ServerProcess.StartAsync(_dir.Combine("data"), config);
        await Poll.UntilAsync(() => server.Output.Contains("Faasten listening", StringComparison.Ordinal));

        var logLine = server.Output.Split('\n').Single(l => l.Contains("Faasten listening", StringComparison.Ordinal));
        using var json = JsonDocument.Parse(logLine);
        Assert.Equal("Information", json.RootElement.GetProperty("LogLevel").GetString());
        Assert.Equal(50, json.RootElement.GetProperty("EventId").GetInt32());
        Assert.StartsWith("Faasten listening on http://127.0.0.1:", json.RootElement.GetProperty("Message").GetString(), StringComparison.Ordinal);
    }

    private string Config(string yaml)
    {
        var path = _dir.Combine("faasten.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    private async Task<ServerProcess> StartWithAliceAsync(string config)
    {
        var data = _dir.Combine("data");
        var added = await ProcessRun.RunAsync("faasten", ["admin", "useradd", "alice", "--data", data], stdin: "alice-pw\n");
        Assert.True(added.ExitCode == 0, added.Stderr);
        return await ServerProcess.StartAsync(data, config);
    }

    private static async Task<HttpClient> AliceAsync(Uri address)
    {
        var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(2) };
        var login = await (await client.PostAsJsonAsync("/auth/login", new { user = "alice", password = "alice-pw" })).OkJsonAsync();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", login.GetProperty("token").GetString());
        return client;
    }

    private static async Task RegisterAsync(HttpClient alice, string workload)
    {
        await alice.PutBlobAsync("home:<T,alice>:sleeper.img", await FunctionImage.FromWorkloadAsync(workload));
        await (await alice.PostAsJsonAsync("/gates", new { path = "home:<T,alice>:sleeper", blob = "home:<T,alice>:sleeper.img", privilege = "alice", clearance = "alice", memory = 128 }))
            .OkJsonAsync(HttpStatusCode.Created);
    }

    private static async Task<(double Started, double Ended)[]> RunEightAsync(HttpClient alice) =>
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            var result = await (await alice.PostAsJsonAsync("/invoke", new { path = "home:<T,alice>:sleeper", payload = new { } })).OkJsonAsync();
            return (result.GetProperty("started").GetDouble(), result.GetProperty("ended").GetDouble());
        }));

    /// <summary>The most runs in progress at one instant (each run's start is such an instant).</summary>
    private static int MostAtOnce((double Started, double Ended)[] runs) =>
        runs.Max(r => runs.Count(o => o.Started <= r.Started && r.Started < o.Ended));
}
