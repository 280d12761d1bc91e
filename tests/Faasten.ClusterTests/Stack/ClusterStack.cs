using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Faasten.FunctionalTests.Stack;
using Faasten.Hosting.Cluster;
using Faasten.Hosting.Configuration;
using Faasten.Tests.Common;
using Faasten.Tests.Common.Engines;
using Faasten.Tests.Common.Postgres;
using Npgsql;

namespace Faasten.ClusterTests.Stack;

/// <summary>
/// A cluster on loopback: its own nats-server (JetStream on disk), its own PostgreSQL database,
/// its own bucket on the test run's s3rver, and <c>faasten gateway</c> and <c>faasten worker</c>
/// processes started from config files, as an operator would. Users are added with
/// <see cref="ClusterAdmin"/>; each signs in with the password USER-pw.
/// </summary>
public sealed partial class ClusterStack : IAsyncDisposable
{
    private readonly TempDirectory _dir = new("fcl");
    private readonly List<WatchedProcess?> _gateways = [];
    private readonly List<WatchedProcess?> _workers = [];
    private readonly List<Uri?> _addresses = [];
    private readonly List<Uri?> _workerProbes = [];
    private readonly string _serverConnection;
    private LoopbackService _nats;

    private ClusterStack(LoopbackService nats, string serverConnection, string database, string bucket, string endpoint, ClusterShape shape)
    {
        _nats = nats;
        _serverConnection = serverConnection;
        Database = database;
        Bucket = bucket;
        S3Endpoint = endpoint;
        Shape = shape;
    }

    public ClusterShape Shape { get; }

    public string Database { get; }

    public string Bucket { get; }

    public string S3Endpoint { get; }

    public string ConnectionString => new NpgsqlConnectionStringBuilder(_serverConnection) { Database = Database, Pooling = true }.ConnectionString;

    public IReadOnlyList<Uri?> Gateways => _addresses;

    /// <summary>Each worker's operator endpoint (<c>/readyz</c>), when the shape asks for them.</summary>
    public IReadOnlyList<Uri?> WorkerProbes => _workerProbes;

    /// <summary>Every line a worker printed (its invocation log).</summary>
    public string WorkerOutput(int index) => _workers[index]?.Output ?? "";

    public string GatewayOutput(int index) => _gateways[index]?.Output ?? "";

    /// <summary>What every process printed, for a failing test's message.</summary>
    public string Diagnostics() =>
        string.Join("\n", _gateways.Select((g, i) => $"--- gateway {i} ---\n{g?.Output}").Concat(_workers.Select((w, i) => $"--- worker {i} ---\n{w?.Output}")));

    /// <summary>Runs <paramref name="test"/>; a failure carries every process's output.</summary>
    public async Task<T> WithDiagnosticsAsync<T>(Func<Task<T>> test)
    {
        try
        {
            return await test();
        }
        catch (Exception e)
        {
            throw new Xunit.Sdk.XunitException($"{e.GetType().Name}: {e.Message}\n{Diagnostics()}");
        }
    }

    public Task WithDiagnosticsAsync(Func<Task> test) => WithDiagnosticsAsync(async () =>
    {
        await test();
        return true;
    });

    public static async Task<ClusterStack> StartAsync(ClusterShape shape, params string[] users)
    {
        // The SDK's standard chain, as for any operator; here s3rver's fixed keys.
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", S3Server.AccessKey);
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", S3Server.SecretKey);
        var server = shape.Postgres ?? await PostgresServer.GetConnectionStringAsync();
        var database = $"faasten_cluster_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(Unpooled(server)))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {database}", connection);
            await create.ExecuteNonQueryAsync();
        }

        var s3 = shape.S3Endpoint ?? await S3Server.GetEndpointAsync();
        var stack = new ClusterStack(await NatsServer.StartAsync(), server, database, await S3Server.CreateBucketAsync(s3), s3, shape);
        try
        {
            stack.WriteConfigs();

            // Every process at once, as a fleet boots: the schema, the stream and the file system's
            // root are each created by whoever gets there first.
            await Task.WhenAll(
                Enumerable.Range(0, shape.Gateways).Select(i => stack.StartGatewayAsync(i))
                    .Concat(Enumerable.Range(0, shape.Workers).Select(i => stack.StartWorkerAsync(i))));
            foreach (var user in users)
            {
                var added = await ClusterAdmin.AddUserAsync(stack.Settings(), user, user + "-pw");
                Assert.True(added.IsOk, added.Message);
            }

            return stack;
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }
    }

    /// <summary>A client of gateway <paramref name="gateway"/> signed in as <paramref name="user"/>.</summary>
    public async Task<HttpClient> SignInAsync(string user, int gateway)
    {
        var client = Client(gateway);
        using var response = await client.PostAsJsonAsync("/auth/login", new { user, password = user + "-pw" });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"login of {user} on gateway {gateway}: {(int)response.StatusCode} {body}");
        using var json = JsonDocument.Parse(body);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", json.RootElement.GetProperty("token").GetString());
        return client;
    }

    /// <summary>A client of gateway <paramref name="gateway"/> carrying <paramref name="token"/>.</summary>
    public HttpClient Client(int gateway, string? token = null)
    {
        var client = new HttpClient { BaseAddress = _addresses[gateway] ?? throw new InvalidOperationException($"gateway {gateway} is down"), Timeout = TimeSpan.FromMinutes(2) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    /// <summary>The worker that has started queued invocation <paramref name="id"/> (from its log), waiting up to a minute.</summary>
    public async Task<int> WorkerRunningAsync(string id)
    {
        var line = $"Queued invocation {id} of ";
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (DateTime.UtcNow < deadline)
        {
            for (var i = 0; i < _workers.Count; i++)
            {
                if (WorkerOutput(i).Split('\n').Any(l => l.Contains(line, StringComparison.Ordinal) && l.Contains(" started on worker ", StringComparison.Ordinal)))
                {
                    return i;
                }
            }

            await Task.Delay(20);
        }

        throw new Xunit.Sdk.XunitException($"no worker started {id}\n{Diagnostics()}");
    }

    /// <summary>SIGKILL, as a crash or the OOM killer would.</summary>
    public async Task KillWorkerAsync(int index)
    {
        if (_workers[index] is { } worker)
        {
            await worker.DisposeAsync();
            _workers[index] = null;
        }
    }

    public async Task KillGatewayAsync(int index)
    {
        if (_gateways[index] is { } gateway)
        {
            await gateway.DisposeAsync();
            _gateways[index] = null;
            _addresses[index] = null;
        }
    }

    public Task StartGatewayAsync(int index) => StartAsync(index, gateway: true);

    public Task StartWorkerAsync(int index) => StartAsync(index, gateway: false);

    /// <summary>Kills nats-server (SIGKILL) and starts it again on the same port over the same JetStream directory.</summary>
    public async Task RestartNatsAsync()
    {
        await _nats.KillAsync();
        _nats = await NatsServer.StartAsync(_nats.Directory, _nats.Port);
    }

    /// <summary>The gateways' configuration file, as an operator would pass it to <c>faasten admin --config</c>.</summary>
    public string ConfigFile => Path.Combine(_dir.Path, "gateway.yaml");

    /// <summary>
    /// Runs <c>faasten admin ARGS</c> (the built executable, as an operator would) with
    /// <paramref name="input"/> on stdin; its exit code and everything it printed.
    /// </summary>
    public static async Task<(int ExitCode, string Output, string Error)> AdminAsync(string? input, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { Repository.Binary("faasten"), "admin" }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["AWS_ACCESS_KEY_ID"] = S3Server.AccessKey;
        start.Environment["AWS_SECRET_ACCESS_KEY"] = S3Server.SecretKey;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            await process.StandardInput.WriteLineAsync(input);
        }

        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new Xunit.Sdk.XunitException($"faasten admin {string.Join(' ', arguments)} hung for a minute:\n{await output}{await error}");
        }

        return (process.ExitCode, await output, await error);
    }

    /// <summary>The settings every process of this cluster reads (the gateways' file).</summary>
    public FaastenSettings Settings()
    {
        var loaded = FaastenConfiguration.Load(Path.Combine(_dir.Path, "gateway.yaml"), checkSandbox: false);
        return loaded.Settings ?? throw new InvalidOperationException(string.Join("; ", loaded.Errors));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _gateways.Concat(_workers))
        {
            if (process is not null)
            {
                await process.DisposeAsync();
            }
        }

        await _nats.DisposeAsync();
        await using (var connection = new NpgsqlConnection(Unpooled(_serverConnection)))
        {
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Database} WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }

        _dir.Dispose();
    }

    private async Task StartAsync(int index, bool gateway)
    {
        var role = gateway ? "gateway" : "worker";
        var start = new ProcessStartInfo("dotnet");
        foreach (var argument in new[] { Repository.Binary("faasten"), role, "--config", Path.Combine(_dir.Path, role + ".yaml") })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["AWS_ACCESS_KEY_ID"] = S3Server.AccessKey;
        start.Environment["AWS_SECRET_ACCESS_KEY"] = S3Server.SecretKey;
        start.Environment["FAASTEN_WORKER__IMAGECACHE"] = _dir.Combine($"images-{index}");
        if (!gateway && Shape.WorkerProbes)
        {
            // Port 0, read back from the worker's line: a port picked here could be taken by
            // another test's server before the worker binds it.
            start.Environment["FAASTEN_OPERATOR__LISTEN"] = "127.0.0.1:0";
        }

        var (process, ready) = await WatchedProcess.StartAsync(start, gateway ? GatewayLine() : WorkerLine(), $"faasten {role} {index}");
        lock (_gateways)
        {
            var list = gateway ? _gateways : _workers;
            while (list.Count <= index)
            {
                list.Add(null);
            }

            list[index] = process;
            if (!gateway)
            {
                while (_workerProbes.Count <= index)
                {
                    _workerProbes.Add(null);
                }

                _workerProbes[index] = ready.Groups[1].Success ? new Uri(ready.Groups[1].Value) : null;
            }

            if (gateway)
            {
                while (_addresses.Count <= index)
                {
                    _addresses.Add(null);
                }

                _addresses[index] = new Uri(ready.Groups[1].Value);
            }
        }
    }

    private void WriteConfigs()
    {
        var common = $"""
            metadata: {"{"}postgres: {Quote(new NpgsqlConnectionStringBuilder(_serverConnection) { Database = Database, Pooling = true, MaxPoolSize = 20, KeepAlive = 1 }.ConnectionString)}{"}"}
            blobs:
              s3: {"{"}endpoint: {Quote(S3Endpoint)}, bucket: {Bucket}, pathStyle: true{"}"}
            queue: {"{"}nats: {Quote(NatsServer.Url(_nats))}, ackWait: {(int)Shape.AckWait.TotalSeconds}s, replyTimeout: 2m{"}"}
            tokens: {"{"}signingKeyFile: {Quote(_dir.Combine("signing.key"))}{"}"}
            results: {"{"}retention: 15m{"}"}
            logging: {"{"}level: Debug{"}"}

            """ + Shape.ExtraConfig;
        File.WriteAllText(Path.Combine(_dir.Path, "gateway.yaml"), common + "listen: 127.0.0.1:0\n");
        File.WriteAllText(
            Path.Combine(_dir.Path, "worker.yaml"),
            common + $"worker: {{slots: {Shape.SlotsPerWorker}, drainTimeout: 5s}}\nsandbox: {{startTimeout: 60s}}\n");
    }

    // The test's own connections are not pooled: a pooled one would be dead after an outage test stops the server.
    private static string Unpooled(string connection) => new NpgsqlConnectionStringBuilder(connection) { Pooling = false }.ConnectionString;

    private static string Quote(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    [GeneratedRegex(@"^faasten gateway listening on (https?://\S+);")]
    private static partial Regex GatewayLine();

    [GeneratedRegex(@"^faasten worker pulling from [^;]*(?:; readiness and metrics on (https?://[^;\s]+))?;")]
    private static partial Regex WorkerLine();
}
