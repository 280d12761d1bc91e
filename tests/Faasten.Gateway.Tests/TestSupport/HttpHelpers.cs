using System.Net;
using System.Text;
using System.Text.Json;

namespace Faasten.Gateway.Tests.TestSupport;

/// <summary>Small request and assertion helpers for the HTTP tests.</summary>
internal static class HttpHelpers
{
    public static string Q(string path) => Uri.EscapeDataString(path);

    public static StringContent JsonText(string json) => new(json, Encoding.UTF8, "application/json");

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    /// <summary>Asserts the status and an error body with the code; returns the message.</summary>
    public static async Task<string> AssertErrorAsync(this HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        using var doc = JsonDocument.Parse(body);
        Assert.Equal(code, doc.RootElement.GetProperty("code").GetString());
        return doc.RootElement.GetProperty("error").GetString()!;
    }

    /// <summary>403 withheld: the fixed message, no label header, nothing else.</summary>
    public static async Task<string> AssertWithheldAsync(this HttpResponseMessage response)
    {
        var message = await response.AssertErrorAsync(HttpStatusCode.Forbidden, "withheld");
        Assert.Equal("response withheld by label", message);
        Assert.False(response.Headers.Contains("Faasten-Label"));
        return await response.Content.ReadAsStringAsync();
    }
}
