using System.Net;
using System.Text.Json;

namespace Faasten.FunctionalTests.Stack;

/// <summary>Request and assertion helpers for the HTTP API.</summary>
internal static class Api
{
    public static string Q(string path) => Uri.EscapeDataString(path);

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    public static async Task<JsonElement> OkJsonAsync(this HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>403 withheld: the fixed answer, nothing of the data, no label.</summary>
    public static async Task<string> AssertWithheldAsync(this HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"expected 403 withheld, got {(int)response.StatusCode}: {body}");
        Assert.Equal("{\"error\":\"response withheld by label\",\"code\":\"withheld\"}", body);
        Assert.False(response.Headers.Contains("Faasten-Label"));
        return body;
    }

    public static async Task<string> AssertErrorAsync(this HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status} {code}, got {(int)response.StatusCode}: {body}");
        using var doc = JsonDocument.Parse(body);
        Assert.Equal(code, doc.RootElement.GetProperty("code").GetString());
        return doc.RootElement.GetProperty("error").GetString()!;
    }

    /// <summary>Uploads bytes as a blob at <paramref name="path"/> and returns the hash.</summary>
    public static async Task<string> PutBlobAsync(this HttpClient client, string path, byte[] bytes, string? label = null)
    {
        var query = $"/fs/blob?path={Q(path)}" + (label is null ? "" : $"&label={Q(label)}");
        using var response = await client.PostAsync(query, new ByteArrayContent(bytes));
        return (await response.OkJsonAsync(HttpStatusCode.Created)).GetProperty("hash").GetString()!;
    }

    /// <summary>Polls GET /invocations/{id} until it is no longer pending (bounded).</summary>
    public static async Task<HttpResponseMessage> WaitForResultAsync(this HttpClient client, string id)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (true)
        {
            var response = await client.GetAsync($"/invocations/{id}");
            if (response.StatusCode != HttpStatusCode.Accepted || DateTime.UtcNow > deadline)
            {
                return response;
            }

            response.Dispose();
            await Task.Delay(50);
        }
    }
}
