using Faasten.Hosting.Configuration;
using Faasten.Tests.Common;
using Microsoft.Extensions.Logging;

namespace Faasten.Hosting.Tests.Configuration;

/// <summary>
/// The three sources (file, environment, flags) and their order, unknown keys, and every bad
/// value, each reported under its key. The environment is passed in, not the process's.
/// </summary>
public sealed class FaastenConfigurationTests : IDisposable
{
    private static readonly Dictionary<string, string?> NoFlags = [];
    private readonly TempDirectory _dir = new("faasten-config");

    public void Dispose() => _dir.Dispose();

    private string Yaml(string text, string name = "faasten.yaml")
    {
        var path = _dir.Combine(name);
        File.WriteAllText(path, text);
        return path;
    }

    private ConfigResult Load(string? file = null, Dictionary<string, string?>? flags = null, Dictionary<string, string>? environment = null) =>
        FaastenConfiguration.Load(file, flags ?? NoFlags, environment ?? [], _dir.Path, checkSandbox: false);

    private FaastenSettings Valid(ConfigResult result)
    {
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        return result.Settings!;
    }

    [Fact]
    public void NoSources_GiveTheOptionRecordsDefaults()
    {
        var settings = Valid(Load());

        Assert.Equal(new FaastenServerOptions().Worker, settings.Server.Worker);
        Assert.Equal(new FaastenServerOptions().Gateway, settings.Server.Gateway);
        Assert.Equal("127.0.0.1:8080", settings.Server.Listen);
        Assert.False(settings.Cluster.Configured);
    }

    [Fact]
    public void File_SetsNestedKeysOnTheOptionRecords()
    {
        var settings = Valid(Load(Yaml("""
            data: /srv/faasten
            listen: 0.0.0.0:9000
            worker:
              slots: 3
              memoryBudgetMb: 2048
              idleVmTimeout: 90s
            tokens: {lifetime: 2h, maxLifetime: 7d}
            kernel:
              serviceTimeout: 5s
            images: {maxEntries: 50}
            logging: {level: Warning, format: json}
            """)));

        Assert.Equal("/srv/faasten", settings.Server.DataDirectory);
        Assert.Equal("0.0.0.0:9000", settings.Server.Listen);
        Assert.Equal((3, 2048, TimeSpan.FromSeconds(90)), (settings.Server.Worker.Slots, settings.Server.Worker.MemoryBudgetMb, settings.Server.Worker.IdleVmTimeout));
        Assert.Equal(3, settings.Server.Worker.Scheduler.Slots);
        Assert.Equal((TimeSpan.FromHours(2), TimeSpan.FromDays(7)), (settings.Server.Gateway.TokenLifetime, settings.Server.Gateway.MaxTokenLifetime));
        Assert.Equal(TimeSpan.FromSeconds(5), settings.Server.Worker.Kernel.ServiceTimeout);
        Assert.Equal(50, settings.Server.Worker.ImageCache.MaxEntries);
        Assert.Equal((LogLevel.Warning, LogFormat.Json), (settings.Server.Logging.Level, settings.Server.Logging.Format));
    }

    [Fact]
    public void File_DefaultsToFaastenYamlInTheWorkingDirectory()
    {
        Yaml("worker: {slots: 7}");

        Assert.Equal(7, Valid(Load()).Server.Worker.Slots);
    }

    [Fact]
    public void Environment_SetsKeysByPrefixAndDoubleUnderscore_CaseInsensitively()
    {
        var settings = Valid(Load(environment: new()
        {
            ["FAASTEN_WORKER__SLOTS"] = "5",
            ["FAASTEN_results__retention"] = "1m",
            ["UNRELATED__WORKER__SLOTS"] = "99",
        }));

        Assert.Equal(5, settings.Server.Worker.Slots);
        Assert.Equal(TimeSpan.FromMinutes(1), settings.Server.Worker.ResultRetention);
    }

    [Fact]
    public void Flags_SetKeysByDottedPath()
    {
        var settings = Valid(Load(flags: new() { ["data"] = "/d", ["listen"] = "127.0.0.1:0" }));

        Assert.Equal(("/d", "127.0.0.1:0"), (settings.Server.DataDirectory, settings.Server.Listen));
    }

    [Fact]
    public void Precedence_FlagsOverEnvironmentOverFile()
    {
        var file = Yaml("listen: 127.0.0.1:1001\nworker: {slots: 3, queueCapacity: 30}\n");
        var environment = new Dictionary<string, string> { ["FAASTEN_LISTEN"] = "127.0.0.1:1002", ["FAASTEN_WORKER__SLOTS"] = "4" };

        var settings = Valid(Load(file, new() { ["listen"] = "127.0.0.1:1003" }, environment));

        Assert.Equal("127.0.0.1:1003", settings.Server.Listen); // flag over environment over file
        Assert.Equal(4, settings.Server.Worker.Slots); // environment over file
        Assert.Equal(30, settings.Server.Worker.QueueCapacity); // file alone
    }

    [Theory]
    [InlineData("worker:\n  slot: 4\n", "unknown key 'worker.slot'")]
    [InlineData("workers: {slots: 4}\n", "unknown key 'workers.slots'")]
    [InlineData("worker: 8\n", "unknown key 'worker'")]
    [InlineData("tls: [a, b]\n", "unknown key 'tls.0'")]
    public void UnknownKeysInTheFile_AreErrors_NotIgnored(string yaml, string expected)
    {
        var result = Load(Yaml(yaml));

        Assert.False(result.IsValid);
        Assert.Contains(result.Errors, e => e.StartsWith(expected, StringComparison.Ordinal) && e.Contains("faasten.yaml", StringComparison.Ordinal));
    }

    [Fact]
    public void UnknownEnvironmentVariable_IsAnError_NamingTheEnvironment()
    {
        var result = Load(environment: new() { ["FAASTEN_WORKER__SLOTZ"] = "4" });

        Assert.Equal("unknown key 'WORKER.SLOTZ' (from the environment); docs/configuration.md lists every key", Assert.Single(result.Errors));
    }

    [Fact]
    public void Environment_NamesWithoutAKeyPath_AreNotConfiguration()
    {
        // Scripts keep their own FAASTEN_ variables; only top-level keys and key paths (with __) count.
        var settings = Valid(Load(environment: new() { ["FAASTEN_DEMO_DATA"] = "/demo", ["FAASTEN_DATA"] = "/d" }));

        Assert.Equal("/d", settings.Server.DataDirectory);
        Assert.Contains("unknown key 'WORKERS.SLOTS'", Assert.Single(Load(environment: new() { ["FAASTEN_WORKERS__SLOTS"] = "1" }).Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void RecordsKeys_SetTheRecordOptions_AndBadValuesNameTheirKey()
    {
        var settings = Valid(Load(Yaml("records: {retention: 2h, maxLogBytes: 1024, batchDelay: 10ms}\noperator: {listen: 127.0.0.1:9191}\n")));
        var errors = Load(Yaml("records: {retention: 0s, maxLogBytes: -1}\n")).Errors;

        Assert.Equal(TimeSpan.FromHours(2), settings.Server.Records.Retention);
        Assert.Equal(1024, settings.Server.Records.MaxLogBytes);
        Assert.Equal(TimeSpan.FromMilliseconds(10), settings.Server.Records.BatchDelay);
        Assert.Equal("127.0.0.1:9191", settings.OperatorListen);
        Assert.Contains(errors, e => e.StartsWith("records.retention: ", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("records.maxLogBytes: ", StringComparison.Ordinal));
    }

    [Fact]
    public void ManyProblems_AreAllReportedAtOnce()
    {
        var result = Load(Yaml("worker: {slots: x, memoryBudgetMb: 1}\nlisten: nope\nbogus: 1\n"));

        Assert.Equal(4, result.Errors.Count);
    }

    public static TheoryData<string, string, string> BadValues() => new()
    {
        // Values that do not parse, one per kind of value.
        { "worker.slots", "eight", "worker.slots: 'eight' is not a whole number" },
        { "images.maxCacheBytes", "4GB", "images.maxCacheBytes: '4GB' is not a whole number" },
        { "worker.idleVmTimeout", "ten minutes", "worker.idleVmTimeout: 'ten minutes' is not a duration" },
        { "sandbox.useCgroups", "maybe", "sandbox.useCgroups: 'maybe' is not true or false" },
        { "blobs.s3.pathStyle", "2", "blobs.s3.pathStyle: '2' is not true or false" },
        { "logging.level", "loud", "logging.level: 'loud' is not one of trace, debug, information, warning, error, critical, none" },
        { "logging.format", "xml", "logging.format: 'xml' is not one of text, json" },
        { "logging.level", "3", "logging.level: '3' is not one of" },
        // Values that parse but the option records refuse, reported under their keys.
        { "listen", "example.com:80", "listen: 'example.com:80' is not HOST:PORT" },
        { "operator.listen", "nowhere", "operator.listen: 'nowhere' is not HOST:PORT" },
        { "operator.listen", "127.0.0.1:8080", "operator.listen: must not be the public port" },
        { "worker.slots", "0", "worker.slots: Slots must be at least 1" },
        { "worker.queueCapacity", "0", "worker.queueCapacity: QueueCapacity must be at least 1" },
        { "worker.maxQueuedPerInvoker", "0", "worker.maxQueuedPerInvoker: MaxQueuedPerInvoker must be at least 1" },
        { "worker.maxRunningPerInvoker", "-1", "worker.maxRunningPerInvoker: MaxRunningPerInvoker must not be negative" },
        { "worker.memoryBudgetMb", "8", "worker.memoryBudgetMb: MemoryBudgetMb must be at least 16" },
        { "worker.idleVmTimeout", "0s", "worker.idleVmTimeout: IdleVmTimeout must be positive" },
        { "worker.spareVms", "17", "worker.spareVms: SpareVms must be 0 to 16" },
        { "results.retention", "0s", "results.retention: ResultRetention must be positive" },
        { "images.maxUnpackedBytes", "100", "images.maxUnpackedBytes: ImageCache.MaxUnpackedBytes must be at least 4096" },
        { "images.maxEntries", "0", "images.maxEntries: ImageCache.MaxEntries must be at least 1" },
        { "images.maxCacheBytes", "8192", "images.maxCacheBytes: ImageCache.MaxCacheBytes must be at least MaxUnpackedBytes" },
        { "kernel.maxInvokeDepth", "0", "kernel.maxInvokeDepth: Kernel.MaxInvokeDepth must be at least 1" },
        { "kernel.maxOpenBlobs", "0", "kernel.maxOpenBlobs: Kernel.MaxOpenBlobs, MaxCreatedBlobs and MaxBlobBytes must be positive" },
        { "kernel.maxInvokeResultBytes", "999999999", "kernel.maxInvokeResultBytes: Kernel.MaxInvokeResultBytes must be 1–" },
        { "kernel.serviceTimeout", "0s", "kernel.serviceTimeout: Kernel.ServiceTimeout must be positive" },
        { "kernel.maxServiceResponseBytes", "0", "kernel.maxServiceResponseBytes: Kernel.MaxServiceResponseBytes must be 1–" },
        { "tokens.lifetime", "31d", "tokens.lifetime: TokenLifetime must be positive and at most MaxTokenLifetime" },
        { "limits.maxJsonBytes", "10", "limits.maxJsonBytes: MaxJsonBytes must be at least 1024" },
        { "limits.maxFileBytes", "0", "limits.maxFileBytes: MaxFileBytes must be 1–" },
        { "limits.maxHookBytes", "10", "limits.maxHookBytes: MaxHookBytes must be at least 1024" },
        { "limits.maxBlobUploadBytes", "0", "limits.maxBlobUploadBytes: MaxBlobUploadBytes must be at least 1" },
        { "limits.blobQuotaBytes", "-1", "limits.blobQuotaBytes: BlobQuotaBytes and AnonymousBlobQuotaBytes must not be negative" },
        { "webhooks.replayWindow", "0s", "webhooks.replayWindow: WebhookReplay.Window must be positive" },
        { "webhooks.maxDeliveries", "0", "webhooks.maxDeliveries: WebhookReplay.MaxDeliveries must be at least 1" },
        { "login.failuresPerUser", "0", "login.failuresPerUser: LoginThrottle.FailuresPerUser and FailuresPerAddress must be at least 1" },
        { "login.window", "0s", "login.window: LoginThrottle.Window must be positive" },
        { "login.concurrentPerAddress", "0", "login.concurrentPerAddress: LoginThrottle.ConcurrentPerAddress must be at least 1" },
        { "tls.certificate", "/nonexistent/cert.pem", "tls.certificate and tls.key go together" },
        { "gc.grace", "-5m", "gc.grace: '-5m' is not a duration" },
        { "gc.interval", "0s", "gc.interval: Interval must be positive" },
        { "worker.drainTimeout", "-1s", "worker.drainTimeout: '-1s' is not a duration" },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public void BadValue_IsReportedUnderItsKey(string key, string value, string expected)
    {
        var result = Load(environment: new() { [$"FAASTEN_{key.Replace(".", "__", StringComparison.Ordinal)}"] = value });

        Assert.False(result.IsValid);
        Assert.Contains(result.Errors, e => e.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void TlsFiles_ThatDoNotExist_AreNamed()
    {
        var result = Load(Yaml("tls: {certificate: /nonexistent/cert.pem, key: /nonexistent/key.pem}"));

        Assert.Contains("tls.certificate: no file /nonexistent/cert.pem", result.Errors);
        Assert.Contains("tls.key: no file /nonexistent/key.pem", result.Errors);
    }

    [Fact]
    public void SandboxExecutables_ThatDoNotExist_AreErrors_WhenTheProcessRunsVms()
    {
        var environment = new Dictionary<string, string> { ["FAASTEN_SANDBOX__BWRAP"] = "/nonexistent/bwrap" };

        var worker = FaastenConfiguration.Load(null, NoFlags, environment, _dir.Path, checkSandbox: true);
        var gateway = FaastenConfiguration.Load(null, NoFlags, environment, _dir.Path, checkSandbox: false);

        Assert.Contains(worker.Errors, e => e.StartsWith("sandbox.bwrap: BwrapPath", StringComparison.Ordinal) && e.Contains("/nonexistent/bwrap", StringComparison.Ordinal));
        Assert.True(gateway.IsValid);
    }

    [Fact]
    public void MissingConfigFile_IsAnError()
    {
        var result = Load(_dir.Combine("absent.yaml"));

        Assert.Equal($"config file {_dir.Combine("absent.yaml")} does not exist", Assert.Single(result.Errors));
    }

    [Fact]
    public void MalformedYaml_IsAnError_NotACrash()
    {
        var result = Load(Yaml("worker: {slots: 3\n  - nope: [\n"));

        Assert.StartsWith($"config file {_dir.Combine("faasten.yaml")} is not valid YAML", Assert.Single(result.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyValue_MeansTheDefault()
    {
        Assert.Equal(new FaastenServerOptions().Worker.Slots, Valid(Load(Yaml("worker:\n  slots:\n"))).Server.Worker.Slots);
    }

    [Theory]
    [InlineData("Host=db;Username=faasten;Password=hunter2;Database=f", "nats://faasten:hunter2@nats:4222")]
    [InlineData("Host=db;Password=\"hun;ter2\"", "nats://hunter2@nats:4222")] // a quoted password, a NATS token
    [InlineData("Host=db;Pwd=hunter2", "nats://u:hun/ter@2@nats")]
    public void Effective_HidesCredentialBearingValues_AndShowsEveryKey(string postgres, string nats)
    {
        var settings = Valid(Load(environment: new() { ["FAASTEN_METADATA__POSTGRES"] = postgres, ["FAASTEN_QUEUE__NATS"] = nats }));

        var effective = FaastenConfiguration.Effective(settings).ToDictionary(e => e.Key, e => e.Value);

        Assert.Equal(FaastenConfiguration.SecretShown, effective["metadata.postgres"]);
        Assert.Equal(FaastenConfiguration.SecretShown, effective["queue.nats"]);
        // The passwords' fragments, not "ter" alone: the data directory's path may contain that.
        Assert.DoesNotContain(effective.Values, v => v.Contains("hunter2", StringComparison.Ordinal) || v.Contains("hun/ter", StringComparison.Ordinal) || v.Contains("hun;ter", StringComparison.Ordinal));
        Assert.Equal(FaastenConfiguration.Keys().Select(k => k.Key), effective.Keys);
        Assert.Equal(postgres, settings.Cluster.Postgres); // hidden when shown, not changed
    }

    [Theory]
    [InlineData("99999999999d")]
    [InlineData("1e400ms")]
    [InlineData("10675199.02:48:05.4775807")]
    public void HugeDuration_IsABadValue_NotACrash(string value)
    {
        var result = Load(environment: new() { ["FAASTEN_RESULTS__RETENTION"] = value });

        Assert.False(result.IsValid);
        Assert.StartsWith("results.retention: ", Assert.Single(result.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void EveryKey_ReadsBackWhatItWasSetTo()
    {
        // Each key's default, written back through the environment, loads to the same settings:
        // the table's parse and show agree, and no key is silently dropped.
        var defaults = FaastenConfiguration.Keys().Where(k => k.Default.Length > 0).ToDictionary(k => k.EnvironmentVariable, k => k.Default);

        var reloaded = Valid(Load(environment: defaults));

        Assert.Equal(FaastenConfiguration.Effective(new FaastenSettings()), FaastenConfiguration.Effective(reloaded));
    }
}
