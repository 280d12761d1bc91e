using System.Net;
using System.Net.Http.Json;
using Faasten.Gateway.Fs;
using Faasten.Gateway.Tests.TestSupport;
using static Faasten.Gateway.Tests.TestSupport.HttpHelpers;

namespace Faasten.Gateway.Tests.Fs;

/// <summary>
/// Issue 12 item 9, as the attack: uploads the server will refuse must not fill its disk.
/// The link is checked before the body is read, uploads are bounded, and each user has a quota.
/// </summary>
public sealed class BlobUploadLimitTests
{
    private const long Big = 20L * 1024 * 1024;

    public static TheoryData<string, bool> RefusedTargets => new()
    {
        // Public refusal: anonymous may not write alice's public facet (integrity alice).
        { "home:<T,alice>:anon-upload", true },
        { "home:<T,alice>:anon-upload", false },

        // Hidden refusal: the traversal reads alice's private facet, so the answer is withheld.
        { "home:<alice,alice>:anon-upload", true },
        { "home:<alice,alice>:anon-upload", false },
    };

    [Theory]
    [MemberData(nameof(RefusedTargets))]
    public async Task Anonymous_20MiBUploadToAPathItMayNotLink_IsRefusedAndStoresNothing(string path, bool declareLength)
    {
        // A quota that would cover it, so only the link check can stop it.
        await using var h = await GatewayHarness.StartAsync(new GatewayOptions { AnonymousBlobQuotaBytes = 1L << 30 });
        var before = StoreSize(h);

        using var anonymous = h.Anonymous();
        using var content = new GeneratedContent(Big, seed: 7, declareLength);
        using var response = await anonymous.PostAsync($"/fs/blob?path={Q(path)}", content);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(before, StoreSize(h));
        Assert.Equal(0, await UsedAsync(h, "anonymous"));
    }

    [Fact]
    public async Task RefusedUpload_IsAnsweredWithoutReadingTheBody()
    {
        // Headers and one chunk of a body that is never finished: only a refusal given before
        // reading the body can be answered (a raw socket, so the client's own handling of an
        // early answer plays no part).
        await using var h = await GatewayHarness.StartAsync(new GatewayOptions { AnonymousBlobQuotaBytes = 1L << 30 });
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(h.Server.Address.Host, h.Server.Address.Port);
        var stream = tcp.GetStream();
        var head = $"POST /fs/blob?path={Q("home:<T,alice>:endless")} HTTP/1.1\r\nHost: {h.Server.Address.Authority}\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n0123456789abcdef\r\n";
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(head));

        using var hangGuard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using var reader = new StreamReader(stream, System.Text.Encoding.ASCII);
        var status = await reader.ReadLineAsync(hangGuard.Token);

        Assert.Equal("HTTP/1.1 403 Forbidden", status);
    }

    [Fact]
    public async Task Bob_BlindUploadIntoAlicesDropBox_IsWithheld_StoresAndChargesNothing()
    {
        await using var h = await GatewayHarness.StartAsync();
        using var alice = await h.ClientAsync("alice");
        using var bob = await h.ClientAsync("bob");

        // Secret to alice, writable by anyone: the link could succeed, but bob may not learn
        // whether it did, so storing (and charging) only on success would tell him.
        var dropBox = "home:<T,alice>:dropbox";
        Assert.Equal(HttpStatusCode.Created, (await alice.PostAsync($"/fs/dir?path={Q(dropBox)}&label={Q("alice,T")}", null)).StatusCode);
        var before = StoreSize(h);

        using var content = new GeneratedContent(1024 * 1024, seed: 8, declareLength: true);
        using var response = await bob.PostAsync($"/fs/blob?path={Q(dropBox + ":from-bob")}", content);

        await response.AssertWithheldAsync();
        Assert.Equal(before, StoreSize(h));
        Assert.Equal(0, await UsedAsync(h, "user/bob"));
        using var list = await alice.GetAsync($"/fs/list?path={Q(dropBox)}");
        Assert.Empty((await list.JsonAsync()).GetProperty("entries").EnumerateArray());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Upload_LargerThanTheLimit_Is413AndStoresNothing(bool declareLength)
    {
        await using var h = await GatewayHarness.StartAsync(new GatewayOptions { MaxBlobUploadBytes = 1024 * 1024 });
        using var alice = await h.ClientAsync("alice");
        var before = StoreSize(h);

        using var content = new GeneratedContent(3 * 1024 * 1024, seed: 9, declareLength);
        using var response = await alice.PostAsync($"/fs/blob?path={Q("home:<alice,alice>:huge")}", content);

        var message = await response.AssertErrorAsync(HttpStatusCode.RequestEntityTooLarge, "too_large");
        Assert.Contains("1048576", message, StringComparison.Ordinal);
        Assert.Equal(before, StoreSize(h));
        Assert.Equal(0, await UsedAsync(h, "user/alice"));

        // The limit itself still fits.
        using var fits = new GeneratedContent(1024 * 1024, seed: 10, declareLength);
        using var stored = await alice.PostAsync($"/fs/blob?path={Q("home:<alice,alice>:fits")}", fits);
        Assert.True(stored.StatusCode == HttpStatusCode.Created, await stored.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Upload_OverTheUsersQuota_IsRefused_UnderItIsStored(bool declareLength)
    {
        const long Quota = 1024 * 1024;
        await using var h = await GatewayHarness.StartAsync(new GatewayOptions { BlobQuotaBytes = Quota });
        using var alice = await h.ClientAsync("alice");
        using var bob = await h.ClientAsync("bob");

        using (var first = new GeneratedContent(600 * 1024, seed: 11, declareLength))
        {
            Assert.Equal(HttpStatusCode.Created, (await alice.PostAsync($"/fs/blob?path={Q("home:<alice,alice>:q1")}", first)).StatusCode);
        }

        Assert.Equal(600 * 1024, await UsedAsync(h, "user/alice"));
        var before = StoreSize(h);
        using (var second = new GeneratedContent(600 * 1024, seed: 12, declareLength))
        {
            using var refused = await alice.PostAsync($"/fs/blob?path={Q("home:<alice,alice>:q2")}", second);
            var message = await refused.AssertErrorAsync(HttpStatusCode.RequestEntityTooLarge, "quota_exceeded");
            Assert.Contains(Quota.ToString(System.Globalization.CultureInfo.InvariantCulture), message, StringComparison.Ordinal);
        }

        Assert.Equal(before, StoreSize(h));
        Assert.Equal(600 * 1024, await UsedAsync(h, "user/alice"));

        // A delegated token is alice's authority and shares her quota; bob has his own.
        var appDir = "home:<T,alice>:app";
        Assert.Equal(HttpStatusCode.Created, (await alice.PostAsync($"/fs/dir?path={Q(appDir)}&label={Q("T,alice/app")}", null)).StatusCode);
        using var delegation = await alice.PostAsJsonAsync("/auth/delegate", new { privilege = "alice/app", ttl = 60 });
        using var app = h.WithToken((await delegation.JsonAsync()).GetProperty("token").GetString()!);
        using (var viaApp = new GeneratedContent(600 * 1024, seed: 13, declareLength))
        {
            await (await app.PostAsync($"/fs/blob?path={Q(appDir + ":q3")}", viaApp)).AssertErrorAsync(HttpStatusCode.RequestEntityTooLarge, "quota_exceeded");
        }

        using (var bobs = new GeneratedContent(600 * 1024, seed: 14, declareLength))
        {
            Assert.Equal(HttpStatusCode.Created, (await bob.PostAsync($"/fs/blob?path={Q("home:<bob,bob>:q1")}", bobs)).StatusCode);
        }

        // What is left of alice's quota is still hers to use.
        Assert.Equal(HttpStatusCode.Created, (await alice.PostAsync($"/fs/blob?path={Q("home:<alice,alice>:q4")}", new ByteArrayContent(new byte[Quota - (600 * 1024)]))).StatusCode);
        Assert.Equal(Quota, await UsedAsync(h, "user/alice"));
    }

    [Fact]
    public async Task Anonymous_HasNoQuotaByDefault_EvenWhereItMayLink()
    {
        await using var h = await GatewayHarness.StartAsync();
        using var alice = await h.ClientAsync("alice");
        var inbox = "home:<T,alice>:inbox";
        Assert.Equal(HttpStatusCode.Created, (await alice.PostAsync($"/fs/dir?path={Q(inbox)}&label={Q("T,T")}", null)).StatusCode);

        using var anonymous = h.Anonymous();
        await (await anonymous.PostAsync($"/fs/blob?path={Q(inbox + ":note")}", new ByteArrayContent([1, 2, 3]))).AssertErrorAsync(HttpStatusCode.RequestEntityTooLarge, "quota_exceeded");
    }

    [Fact]
    public async Task ConcurrentUploads_AreChargedExactly_AndTheQuotaIsNeverPassed()
    {
        const int Size = 256 * 1024;
        const int Fit = 10;
        await using var h = await GatewayHarness.StartAsync(new GatewayOptions { BlobQuotaBytes = Fit * Size });
        using var alice = await h.ClientAsync("alice");
        var before = BlobCount(h);

        var uploads = Enumerable.Range(0, 24).Select(async i =>
        {
            using var content = new GeneratedContent(Size, seed: 100 + i, declareLength: true);
            using var response = await alice.PostAsync($"/fs/blob?path={Q($"home:<alice,alice>:c{i}")}", content);
            return response.StatusCode;
        });
        var statuses = await Task.WhenAll(uploads);

        Assert.Equal(Fit, statuses.Count(s => s == HttpStatusCode.Created));
        Assert.All(statuses, s => Assert.True(s is HttpStatusCode.Created or HttpStatusCode.RequestEntityTooLarge, s.ToString()));
        Assert.Equal(Fit * Size, await UsedAsync(h, "user/alice"));
        Assert.Equal(before + Fit, BlobCount(h));
    }

    [Fact]
    public async Task ConcurrentUploads_UnderTheQuota_LoseNoCharge()
    {
        const int Size = 64 * 1024;
        await using var h = await GatewayHarness.StartAsync();
        using var alice = await h.ClientAsync("alice");

        var statuses = await Task.WhenAll(Enumerable.Range(0, 32).Select(async i =>
        {
            using var content = new GeneratedContent(Size, seed: 200 + i, declareLength: i % 2 == 0);
            using var response = await alice.PostAsync($"/fs/blob?path={Q($"home:<alice,alice>:u{i}")}", content);
            return response.StatusCode;
        }));

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Created, s));
        Assert.Equal(32 * Size, await UsedAsync(h, "user/alice"));
    }

    private static Task<long> UsedAsync(GatewayHarness h, string account) =>
        new UploadQuota(h.Server.Metadata, new GatewayOptions()).UsedAsync(account).AsTask();

    // Everything in the blob directory, temp files included: bytes a refused upload left anywhere.
    private static long StoreSize(GatewayHarness h) =>
        new DirectoryInfo(h.BlobDirectory).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);

    private static int BlobCount(GatewayHarness h) =>
        new DirectoryInfo(h.BlobDirectory).EnumerateFiles("*", SearchOption.AllDirectories).Count();
}
