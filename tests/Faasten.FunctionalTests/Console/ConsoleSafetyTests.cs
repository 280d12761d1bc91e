using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Faasten.FunctionalTests.Stack;
using Microsoft.Playwright;
using static Faasten.FunctionalTests.Stack.Api;

namespace Faasten.FunctionalTests.Console;

/// <summary>
/// Names, contents, labels, results and logs are data, never markup: script-like values render
/// as text and run nothing (no dialog, no console error, no CSP violation); the policy really
/// refuses inline script and HTML sinks; the console's responses carry the security headers.
/// </summary>
public sealed partial class ConsoleSafetyTests(ConsoleStack stack) : IClassFixture<ConsoleStack>
{
    // Names may not contain '>' or ':' nor start with '<' (a facet), so this is the nearest a
    // name gets to <img src=x onerror=alert(1)>; the rest goes where '>' is allowed.
    private const string EvilName = "x<img src=x onerror=alert(1)";
    private const string EvilContent = "<img src=x onerror=alert(1)><script>alert(2)</script><svg onload=alert(3)>";
    private const string EvilPrincipal = "<img src=x onerror=alert(4)>";

    private const string Echo = """
        def handle(event, cloudcall):
            print("<script>alert(5)</script>", event["markup"])
            return {"html": event["markup"], "img": "<img src=x onerror=alert(6)>"}
        """;

    [Fact]
    public async Task ScriptLikeNamesContentsLabelsResultsAndLogs_RenderAsText_AndRunNothing()
    {
        using var alice = await stack.ApiAsync("alice");
        const string dir = "home:<T,alice>:evil";
        await (await alice.PostAsync($"/fs/dir?path={Q(dir)}", null)).OkJsonAsync(HttpStatusCode.Created);
        await (await alice.PostAsync($"/fs/file?path={Q($"{dir}:{EvilName}")}", new StringContent(EvilContent))).OkJsonAsync(HttpStatusCode.Created);
        // A label whose principal is markup (escaped in label text: whitespace is a separator).
        var evilLabel = EvilPrincipal.Replace(" ", "\\ ", StringComparison.Ordinal) + ",alice";
        await (await alice.PostAsync($"/fs/file?path={Q($"{dir}:marked")}&label={Q(evilLabel)}", new StringContent("x"))).OkJsonAsync(HttpStatusCode.Created);
        _ = await alice.PutBlobAsync($"{dir}:echo.img", await FunctionImage.FromWorkloadAsync(Echo));
        await (await alice.PostAsJsonAsync("/gates", new { path = $"{dir}:echo", blob = $"{dir}:echo.img", privilege = "alice", clearance = "alice" })).OkJsonAsync(HttpStatusCode.Created);

        await using var console = await stack.OpenAsync();
        await console.SignInAsync("alice");

        // The listing: the name as text, the markup principal as text.
        await console.GoAsync(ConsolePage.Files(dir));
        var evil = console.Page.Locator("#entries li .entry-name", new() { HasText = EvilName });
        await Assertions.Expect(evil).ToHaveTextAsync(EvilName);
        await Assertions.Expect(console.Locator("#entries li[data-name='marked'] .label-secrecy .principal")).ToHaveTextAsync(EvilPrincipal);

        // The file: its content as text.
        await evil.ClickAsync();
        await Assertions.Expect(console.Locator("#file-content")).ToHaveTextAsync(EvilContent);
        await Assertions.Expect(console.Locator(".crumbs")).ToContainTextAsync(EvilName);

        // A result and logs full of markup, sync and async.
        await console.GoAsync("#/invoke?path=" + Uri.EscapeDataString($"{dir}:echo"));
        await console.Locator("#invoke-payload").FillAsync("""{"markup": "<img src=x onerror=alert(7)>"}""");
        await console.Locator("#invoke-submit").ClickAsync();
        await Assertions.Expect(console.Locator("#result-body")).ToContainTextAsync("<img src=x onerror=alert(7)>", new() { Timeout = 120_000 });
        await console.Locator("#mode-async").CheckAsync();
        await console.Locator("#invoke-submit").ClickAsync();
        await Assertions.Expect(console.Locator("#invocation-result #result-body")).ToContainTextAsync("<img src=x onerror=alert(6)>", new() { Timeout = 120_000 });
        await Assertions.Expect(console.Locator("#logs-text")).ToHaveTextAsync("<script>alert(5)</script> <img src=x onerror=alert(7)>\n");

        // Nothing of it became an element, and nothing ran.
        Assert.Equal(0, await console.Page.Locator("img[src=x], svg, main script").CountAsync());
        Assert.Equal(1, await console.Page.EvaluateAsync<int>("() => document.scripts.length"));
        await console.AssertNothingRanAsync();
    }

    [Fact]
    public async Task ThePolicy_RefusesInlineScriptAndHtmlSinks()
    {
        await using var console = await stack.OpenAsync();
        // Script text never reaches a script element (Trusted Types with no policy)...
        var script = await console.Page.EvaluateAsync<string>("""
            () => {
              window.__ran = false;
              try {
                const s = document.createElement('script');
                s.textContent = 'window.__ran = true';
                document.body.append(s);
                return 'appended';
              } catch (e) { return e.name; }
            }
            """);
        Assert.Equal("TypeError", script);

        // ...nor to an inline event handler, the attack of <img src=x onerror=...> ...
        var handler = await console.Page.EvaluateAsync<string>("""
            () => {
              try { document.createElement('img').setAttribute('onerror', 'window.__ran = true'); return 'set'; } catch (e) { return e.name; }
            }
            """);
        Assert.Equal("TypeError", handler);

        Assert.False(await console.Page.EvaluateAsync<bool>("() => window.__ran"));
        var violations = await console.ViolationsAsync();
        Assert.Contains(violations, v => v.StartsWith("require-trusted-types-for", StringComparison.Ordinal));

        // Trusted Types with no policy: no string reaches an HTML sink.
        var sink = await console.Page.EvaluateAsync<string>("() => { try { document.body.innerHTML = '<b>x</b>'; return 'assigned'; } catch (e) { return e.name; } }");
        Assert.Equal("TypeError", sink);
        Assert.Empty(console.Dialogs);
    }

    [Theory]
    [InlineData("/", "text/html")]
    [InlineData("/console/app.js", "text/javascript")]
    [InlineData("/console/style.css", "text/css")]
    [InlineData("/console/no-such-file.js", "application/json")]
    public async Task ConsoleResponses_CarryTheSecurityHeaders(string route, string type)
    {
        using var client = new HttpClient { BaseAddress = stack.Address };
        using var response = await client.GetAsync(route);
        Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        foreach (var directive in new[] { "default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "require-trusted-types-for 'script'" })
        {
            Assert.Contains(directive, csp, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("unsafe", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal("same-origin", response.Headers.GetValues("Cross-Origin-Opener-Policy").Single());
        Assert.False(response.Headers.Contains("Faasten-Label"));
    }

    [Fact]
    public async Task ConsoleAssets_RevalidateByETag_AndAreTheSameForEveryCaller()
    {
        using var anonymous = new HttpClient { BaseAddress = stack.Address };
        using var alice = await stack.ApiAsync("alice");
        using var first = await anonymous.GetAsync("/console/app.js");
        var etag = first.Headers.ETag!;
        Assert.Equal(await first.Content.ReadAsStringAsync(), await alice.GetStringAsync("/console/app.js"));
        using var again = new HttpRequestMessage(HttpMethod.Get, "/console/app.js");
        again.Headers.IfNoneMatch.Add(etag);
        using var revalidated = await anonymous.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
    }

    /// <summary>The shipped files themselves: no inline script or style, no HTML sink, no eval.</summary>
    [Fact]
    public void ConsoleSources_UseNoInlineScriptNoHtmlSinksNoEval()
    {
        var folder = Path.Combine(Repository.Root, "src", "Faasten.Gateway", "Console", "wwwroot");
        var html = File.ReadAllText(Path.Combine(folder, "index.html"));
        Assert.DoesNotMatch(InlineScript(), html);
        Assert.DoesNotContain("style=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(InlineHandler(), html);
        var scripts = Directory.GetFiles(folder, "*.js");
        Assert.NotEmpty(scripts);
        foreach (var file in scripts)
        {
            var code = File.ReadAllText(file);
            Assert.DoesNotMatch(HtmlSink(), code);
        }
    }

    [GeneratedRegex(@"<script(?![^>]*\ssrc=)[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();

    [GeneratedRegex(@"\son[a-z]+\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex InlineHandler();

    [GeneratedRegex(@"innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function\(|setAttribute\(\s*'style'|\.style\.")]
    private static partial Regex HtmlSink();
}
