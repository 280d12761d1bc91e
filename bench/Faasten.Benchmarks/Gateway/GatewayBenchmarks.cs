using System.Net.Http.Headers;
using System.Text;
using BenchmarkDotNet.Attributes;
using Faasten.Gateway;
using Faasten.Gateway.Admin;
using Faasten.Gateway.Auth;
using Faasten.Hosting;
using Faasten.Labels;
using Microsoft.Extensions.Logging;

namespace Faasten.Benchmarks.Gateway;

/// <summary>
/// One request at a time through the real Kestrel gateway on loopback, with the invocation
/// answered by <see cref="NoopRunner"/> instead of a VM: the gateway's own share of a warm
/// invocation (token check, JSON, request label, scheduler hop, release). Plus the token check alone.
/// </summary>
[MemoryDiagnoser]
public class GatewayBenchmarks
{
    private static readonly byte[] InvokeBody = Encoding.UTF8.GetBytes("{\"path\":\"home:<T,bench>:noop\",\"payload\":{}}");

    private string _directory = "";
    private FaastenServer _server = null!;
    private HttpClient _client = null!;
    private TokenService _tokens = null!;
    private string _token = "";

    // Blocks: the in-process toolchain does not await an async setup.
    [GlobalSetup]
    public void Setup()
    {
        _directory = Directory.CreateTempSubdirectory("faasten-bench-gw-").FullName;
        _server = FaastenServer.StartAsync(new FaastenServerOptions
        {
            DataDirectory = _directory,
            Listen = "127.0.0.1:0",
            Runner = _ => new NoopRunner(),
            ConfigureLogging = logging => logging.SetMinimumLevel(LogLevel.Warning),
        }).GetAwaiter().GetResult();
        EmbeddedAdmin.AddUserAsync(_directory, "bench", "bench-pw").GetAwaiter().GetResult();
        _token = EmbeddedAdmin.IssueTokenAsync(_directory, "bench", null, 3600).GetAwaiter().GetResult().Token!;
        _client = new HttpClient { BaseAddress = _server.Address };
        _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        using var file = _client.PostAsync("/fs/file?path=" + Uri.EscapeDataString("home:<T,bench>:hello"), new ByteArrayContent("hello"u8.ToArray())).GetAwaiter().GetResult();
        file.EnsureSuccessStatusCode();
        _tokens = new TokenService(TokenSigningKey.LoadOrCreate(_directory), TimeProvider.System);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _client.Dispose();
        _server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark]
    public async Task<int> InvokeNoop()
    {
        using var content = new ByteArrayContent(InvokeBody);
        using var response = await _client.PostAsync("/invoke", content);
        return (int)response.StatusCode;
    }

    [Benchmark]
    public async Task<int> ReadFile()
    {
        using var response = await _client.GetAsync("/fs/file?path=home%3A%3CT%2Cbench%3E%3Ahello");
        return (int)response.StatusCode;
    }

    [Benchmark]
    public async Task<Component?> ValidateToken() => (await _tokens.ValidateAsync(_token)).Caller?.Privilege;
}
