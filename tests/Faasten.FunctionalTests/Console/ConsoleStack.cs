using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Faasten.FunctionalTests.Stack;
using Faasten.Tests.Common;
using Microsoft.Playwright;
using static Faasten.FunctionalTests.Stack.Api;

namespace Faasten.FunctionalTests.Console;

/// <summary>
/// One real <c>faasten serve</c> (users alice and bob) and one headless Debian chromium driven
/// by Playwright, shared by a test class; each test opens its own browser context, so storage
/// and tokens never leak between tests. No browser is downloaded: Playwright drives the system
/// chromium (scripts/setup.sh installs it).
/// </summary>
public sealed class ConsoleStack : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";

    private readonly TempDirectory _dir = new("fconsole");
    private ServerProcess? _server;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public Uri Address => Server.Address;

    internal ServerProcess Server => _server ?? throw new InvalidOperationException("not started");

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("not started");

    public string Scratch(string name) => _dir.Combine(name);

    public async Task InitializeAsync()
    {
        var data = _dir.Combine("data");
        foreach (var user in new[] { "alice", "bob" })
        {
            var added = await ProcessRun.RunAsync("faasten", ["admin", "useradd", user, "--data", data], stdin: Password(user) + "\n");
            Assert.True(added.ExitCode == 0, added.Stderr);
        }

        _server = await ServerProcess.StartAsync(data);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            // The tests run as root in CI, where chromium's own sandbox cannot start.
            Args = ["--no-sandbox"],
        });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _dir.Dispose();
    }

    public static string Password(string user) => user + "-pw";

    /// <summary>An API client signed in as <paramref name="user"/>, for setting the scene (not for what is tested).</summary>
    public async Task<HttpClient> ApiAsync(string user)
    {
        var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromMinutes(2) };
        var login = await (await client.PostAsJsonAsync("/auth/login", new JsonObject { ["user"] = user, ["password"] = Password(user) })).OkJsonAsync();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", login.GetProperty("token").GetString());
        return client;
    }

    /// <summary>A fresh browser context and page at the console, watching for dialogs, errors and CSP violations.</summary>
    public async Task<ConsolePage> OpenAsync(int width = 1280, int height = 800)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Address.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        return await ConsolePage.OpenAsync(context);
    }

    /// <summary>Registers the gen-thumb example as <c>home:&lt;T,alice&gt;:gen-thumb</c> (privilege and clearance alice).</summary>
    public async Task RegisterGenThumbAsync(HttpClient alice)
    {
        await (await alice.PostAsync($"/fs/dir?path={Q("home:<T,alice>:images")}", null)).OkJsonAsync(HttpStatusCode.Created);
        const string image = "home:<T,alice>:images:gen-thumb.img";
        _ = await alice.PutBlobAsync(image, await FunctionImage.BuildAsync(Repository.Example("gen-thumb")));
        await (await alice.PostAsJsonAsync("/gates", new { path = "home:<T,alice>:gen-thumb", blob = image, privilege = "alice", clearance = "alice", memory = 256 }))
            .OkJsonAsync(HttpStatusCode.Created);
    }
}
