using System.Net;
using System.Net.Http.Json;
using Faasten.ClusterTests.Stack;
using Faasten.FunctionalTests.Stack;
using Faasten.Tests.Common;

namespace Faasten.ClusterTests;

/// <summary>Two gateways and no worker: the admin commands act on the shared stores, not on either process.</summary>
public sealed class TwoGatewayFixture : IAsyncLifetime
{
    public ClusterStack Stack { get; private set; } = null!;

    public async Task InitializeAsync() => Stack = await ClusterStack.StartAsync(new ClusterShape { Workers = 0 });

    public async Task DisposeAsync() => await Stack.DisposeAsync();
}

/// <summary><c>faasten admin useradd|token|gc --config FILE</c>, run as the built executable against a running cluster.</summary>
public sealed class ClusterAdminTests(TwoGatewayFixture cluster) : IClassFixture<TwoGatewayFixture>
{
    private ClusterStack Stack => cluster.Stack;

    [Fact]
    public async Task UserAddedWithConfig_SignsInAtBothGateways_AndAgainIsAConflictUnlessExistOk()
    {
        var (added, output, error) = await ClusterStack.AdminAsync("carol-pw", "useradd", "carol", "--config", Stack.ConfigFile);
        Assert.True(added == 0, output + error);
        Assert.Contains("added user 'carol'", output, StringComparison.Ordinal);

        await Stack.WithDiagnosticsAsync(async () =>
        {
            for (var gateway = 0; gateway < 2; gateway++)
            {
                using var carol = await Stack.SignInAsync("carol", gateway);
                var me = await (await carol.GetAsync("/auth/me")).OkJsonAsync();
                Assert.Equal("carol", me.GetProperty("user").GetString());
                // Her home facets exist in the shared file system.
                using var home = await carol.GetAsync($"/fs/list?path={Api.Q("home:<carol,carol>")}");
                Assert.Equal(HttpStatusCode.OK, home.StatusCode);
            }
        });

        var (again, _, againError) = await ClusterStack.AdminAsync("other-pw", "useradd", "carol", "--config", Stack.ConfigFile);
        Assert.Equal(1, again);
        Assert.Contains("already exists", againError, StringComparison.Ordinal);
        var (kept, keptOutput, _) = await ClusterStack.AdminAsync("other-pw", "useradd", "carol", "--config", Stack.ConfigFile, "--exist-ok");
        Assert.Equal(0, kept);
        Assert.Contains("kept as it is", keptOutput, StringComparison.Ordinal);
        // --exist-ok kept the first password.
        using var client = Stack.Client(1);
        using var wrong = await client.PostAsJsonAsync("/auth/login", new { user = "carol", password = "other-pw" });
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
    }

    [Fact]
    public async Task TokenMintedWithConfig_IsSignedWithTheSharedKey_AndValidAtBothGateways()
    {
        Assert.Equal(0, (await ClusterStack.AdminAsync("dave-pw", "useradd", "dave", "--config", Stack.ConfigFile)).ExitCode);

        var (minted, token, error) = await ClusterStack.AdminAsync(null, "token", "dave", "--ttl", "600", "--config", Stack.ConfigFile);

        Assert.True(minted == 0, error);
        for (var gateway = 0; gateway < 2; gateway++)
        {
            using var dave = Stack.Client(gateway, token.Trim());
            var me = await (await dave.GetAsync("/auth/me")).OkJsonAsync();
            Assert.Equal("dave", me.GetProperty("user").GetString());
        }

        var (missing, _, missingError) = await ClusterStack.AdminAsync(null, "token", "nobody", "--config", Stack.ConfigFile);
        Assert.Equal(1, missing);
        Assert.Contains("no user 'nobody'", missingError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GcWithConfig_CollectsOnTheSharedStores()
    {
        var (collected, output, error) = await ClusterStack.AdminAsync(null, "gc", "--grace", "3600", "--config", Stack.ConfigFile);

        Assert.True(collected == 0, output + error);
        // The shared file system has at least its root: the collector read PostgreSQL, not an empty directory.
        Assert.Matches(@"objects: [1-9][0-9]* scanned", output);
    }

    [Fact]
    public async Task BadConfig_IsAClearError_WithANonZeroExit()
    {
        using var dir = new TempDirectory("fca");

        var (absent, _, absentError) = await ClusterStack.AdminAsync("x-pw", "useradd", "erin", "--config", dir.Combine("none.yaml"));
        Assert.Equal(2, absent);
        Assert.Contains("does not exist", absentError, StringComparison.Ordinal);

        // Only a queue: the stores admin acts on are named as missing.
        var partial = dir.Combine("partial.yaml");
        await File.WriteAllTextAsync(partial, "queue: {nats: 'nats://127.0.0.1:4222'}\n");
        var (noStores, _, noStoresError) = await ClusterStack.AdminAsync("x-pw", "useradd", "erin", "--config", partial);
        Assert.Equal(2, noStores);
        Assert.Contains("metadata.postgres", noStoresError, StringComparison.Ordinal);

        // A token needs the shared key file, and never makes one of its own.
        var keyless = dir.Combine("keyless.yaml");
        await File.WriteAllTextAsync(keyless, (await File.ReadAllTextAsync(Stack.ConfigFile)).Replace("signingKeyFile: '", "signingKeyFile: '" + dir.Path + "/absent", StringComparison.Ordinal));
        var (noKey, _, noKeyError) = await ClusterStack.AdminAsync(null, "token", "alice", "--config", keyless);
        Assert.Equal(2, noKey);
        Assert.Contains("tokens.signingKeyFile", noKeyError, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(dir.Path, "absent*"));

        var (both, _, bothError) = await ClusterStack.AdminAsync("x-pw", "useradd", "erin", "--config", Stack.ConfigFile, "--data", dir.Path);
        Assert.Equal(2, both);
        Assert.Contains("not both", bothError, StringComparison.Ordinal);

        // PostgreSQL unreachable (a closed port, password in the string): exit 3, the password never printed.
        var unreachable = dir.Combine("unreachable.yaml");
        await File.WriteAllTextAsync(unreachable, $"metadata: {{postgres: 'Host=127.0.0.1;Port={LoopbackPort.Free()};Username=faasten;Password=s3cret-pw;Timeout=3'}}\nblobs:\n  s3: {{endpoint: '{Stack.S3Endpoint}', bucket: {Stack.Bucket}}}\n");
        var (down, downOutput, downError) = await ClusterStack.AdminAsync("x-pw", "useradd", "erin", "--config", unreachable);
        Assert.Equal(3, down);
        Assert.Contains("unavailable", downError, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-pw", downOutput + downError, StringComparison.Ordinal);
    }
}
