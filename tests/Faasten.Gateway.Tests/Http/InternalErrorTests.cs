using System.Net;
using Faasten.Gateway.Tests.TestSupport;
using static Faasten.Gateway.Tests.TestSupport.HttpHelpers;

namespace Faasten.Gateway.Tests.Http;

/// <summary>A genuine server-side failure is a JSON 500 that says nothing about the request, and it is logged.</summary>
public sealed class InternalErrorTests
{
    [Fact]
    public async Task BlobMissingFromTheStore_Is500_WithoutDetails_AndLogged()
    {
        await using var h = await GatewayHarness.StartAsync();
        using var alice = await h.ClientAsync("alice");
        var path = "home:<alice,alice>:vanishing";
        using var upload = await alice.PostAsync($"/fs/blob?path={Q(path)}", new ByteArrayContent("SECRET-BYTES"u8.ToArray()));
        var hash = (await upload.JsonAsync()).GetProperty("hash").GetString()!;

        // Storage lost the content behind the monitor's back: a bug or a broken disk, not bad input.
        var file = Directory.GetFiles(Path.Combine(h.Server.DataDirectory, "blobs"), hash, SearchOption.AllDirectories).Single();
        File.Delete(file);

        using var response = await alice.GetAsync($"/fs/blob?path={Q(path)}");
        Assert.Equal("internal server error", await response.AssertErrorAsync(HttpStatusCode.InternalServerError, "internal"));
        Assert.False(response.Headers.Contains("Faasten-Label"));
        Assert.Contains("Unhandled exception in GET /fs/blob", h.Logs.All, StringComparison.Ordinal);
    }
}
