using System.Diagnostics;
using System.Text.Json;
using Faasten.Gateway.Tests.TestSupport;
using Faasten.Tests.Common;

namespace Faasten.Gateway.Tests.Http;

/// <summary>
/// The document a running gateway serves passes Redocly's recommended rules (installed by
/// scripts/setup.sh, pinned), so every endpoint added later is linted too.
/// </summary>
public sealed class OpenApiLintTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task ServedDocument_PassesRedoclyLint()
    {
        using var client = fixture.Harness.Anonymous();
        var document = await client.GetStringAsync("/openapi.json");
        using var dir = new TempDirectory("openapi");
        var file = dir.Combine("openapi.json");
        await File.WriteAllTextAsync(file, document);

        var (exit, output) = await RunAsync(Redocly(), "lint", file, "--format=stylish");
        Assert.True(exit == 0, $"redocly lint failed:\n{output}");
        Assert.Contains("Your API description is valid", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServedDocument_DescribesBearerAuth_HookPathAndInvokeFailures()
    {
        using var client = fixture.Harness.Anonymous();
        using var document = JsonDocument.Parse(await client.GetStringAsync("/openapi.json"));
        var root = document.RootElement;
        Assert.Equal("bearer", root.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer").GetProperty("scheme").GetString());

        var hook = root.GetProperty("paths").GetProperty("/hooks/{path}").GetProperty("post");
        Assert.Equal("path", hook.GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("in").GetString() == "path").GetProperty("name").GetString());
        Assert.Equal(0, hook.GetProperty("security").GetArrayLength());

        var invoke = root.GetProperty("paths").GetProperty("/invoke").GetProperty("post");
        foreach (var status in new[] { "200", "202", "403", "404", "429", "502", "504" })
        {
            Assert.True(invoke.GetProperty("responses").TryGetProperty(status, out _), $"POST /invoke does not describe {status}");
        }

        // Optional fields are not required.
        var gate = root.GetProperty("paths").GetProperty("/gates").GetProperty("post").GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema");
        Assert.Equal(["blob", "clearance", "path", "privilege"], gate.GetProperty("required").EnumerateArray().Select(e => e.GetString()!).Order(StringComparer.Ordinal));
    }

    private static string Redocly()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Faasten.slnx")))
        {
            directory = directory.Parent;
        }

        var path = Path.Combine(directory?.FullName ?? "", ".tools", "redocly", "node_modules", ".bin", "redocly");
        Assert.True(File.Exists(path), $"redocly is not installed at {path}: run scripts/setup.sh");
        return path;
    }

    private static async Task<(int Exit, string Output)> RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // No telemetry, no update check: the lint runs offline and the same every time.
        start.Environment["REDOCLY_TELEMETRY"] = "off";
        start.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
