using System.Net;
using System.Security.Cryptography;
using Faasten.Gateway.Tests.TestSupport;
using static Faasten.Gateway.Tests.TestSupport.HttpHelpers;

namespace Faasten.Gateway.Tests.Fs;

/// <summary>Blob upload and download are streamed end to end: a 64 MiB blob (above every buffered limit) round-trips intact.</summary>
public sealed class BlobStreamingTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private const long Large = 64L * 1024 * 1024;
    private readonly GatewayHarness _h = fixture.Harness;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task LargeBlob_UploadAndDownload_Streamed_HashMatches(bool declareLength)
    {
        using var client = await _h.ClientAsync("alice");
        var path = $"home:<alice,alice>:big-{declareLength}";
        using var content = new GeneratedContent(Large, seed: 42, declareLength);
        using var upload = await client.PostAsync($"/fs/blob?path={Q(path)}", content);
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        var body = await upload.JsonAsync();
        Assert.Equal(content.Sha256, body.GetProperty("hash").GetString());
        Assert.Equal(Large, body.GetProperty("size").GetInt64());

        using var download = await client.GetAsync($"/fs/blob?path={Q(path)}", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(Large, download.Content.Headers.ContentLength);
        Assert.Equal("alice,alice", download.Headers.GetValues("Faasten-Label").Single());
        await using var stream = await download.Content.ReadAsStreamAsync();
        Assert.Equal(content.Sha256, Convert.ToHexStringLower(await SHA256.HashDataAsync(stream)));
    }

    [Fact]
    public async Task SmallBlob_WithExplicitLabel_IsStoredAtThatLabel()
    {
        using var client = await _h.ClientAsync("alice");
        var path = "home:<T,alice>:shared-photo";
        using var upload = await client.PostAsync($"/fs/blob?path={Q(path)}&label={Q("T,alice")}", new ByteArrayContent("hello"u8.ToArray()));
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData("hello"u8)), (await upload.JsonAsync()).GetProperty("hash").GetString());

        // Public facet, public label: bob and anonymous can read it.
        using var anonymous = _h.Anonymous();
        using var download = await anonymous.GetAsync($"/fs/blob?path={Q(path)}");
        Assert.Equal("hello", await download.Content.ReadAsStringAsync());
        var stat = await (await anonymous.GetAsync($"/fs/stat?path={Q(path)}")).JsonAsync();
        Assert.Equal("T,alice", stat.GetProperty("label").GetString());
    }

    [Fact]
    public async Task Upload_ToExistingName_Is409()
    {
        using var client = await _h.ClientAsync("alice");
        var path = "home:<alice,alice>:twice";
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync($"/fs/blob?path={Q(path)}", new ByteArrayContent([1]))).StatusCode);
        await (await client.PostAsync($"/fs/blob?path={Q(path)}", new ByteArrayContent([2]))).AssertErrorAsync(HttpStatusCode.Conflict, "exists");
    }
}
