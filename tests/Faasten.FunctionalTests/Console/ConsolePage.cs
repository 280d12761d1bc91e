using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Faasten.FunctionalTests.Console;

/// <summary>
/// One page of the console in its own browser context. Records every dialog (alert, confirm),
/// console error, uncaught page error and Content-Security-Policy violation, so a test can
/// assert that nothing ran that should not have.
/// </summary>
public sealed class ConsolePage : IAsyncDisposable
{
    // Playwright's init scripts run before the page's own and outside its CSP.
    private const string WatchViolations = """
        window.__violations = [];
        document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
        """;

    private readonly List<string> _problems = [];

    private ConsolePage(IBrowserContext context, IPage page)
    {
        Context = context;
        Page = page;
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    public List<string> Dialogs { get; } = [];

    /// <summary>Console errors and uncaught exceptions.</summary>
    public IReadOnlyList<string> Problems => _problems;

    public static async Task<ConsolePage> OpenAsync(IBrowserContext context)
    {
        await context.AddInitScriptAsync(WatchViolations);
        var page = await context.NewPageAsync();
        var console = new ConsolePage(context, page);
        page.Dialog += (_, dialog) =>
        {
            console.Dialogs.Add(dialog.Type + ": " + dialog.Message);
            _ = dialog.DismissAsync();
        };
        page.Console += (_, message) =>
        {
            // A refused request (403 withheld, 404) is logged by the browser as an error; it is an
            // answer, not something running. CSP refusals are other messages (and events).
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource: the server responded with a status of", StringComparison.Ordinal))
            {
                console._problems.Add("console: " + message.Text);
            }
        };
        page.PageError += (_, error) => console._problems.Add("page error: " + error);
        page.SetDefaultTimeout(30_000);
        await page.GotoAsync("/");
        await page.Locator("html[data-ready=true]").WaitForAsync();
        return console;
    }

    public ILocator Locator(string selector) => Page.Locator(selector);

    /// <summary>Opens a console route (#/fs?path=...) and waits until the page has drawn it.</summary>
    public async Task GoAsync(string hashRoute)
    {
        // Busy first, so the wait below sees this render finish, not the previous one.
        await Page.EvaluateAsync(
            "(h) => { document.getElementById('main').setAttribute('aria-busy', 'true'); if (location.hash === h) { window.dispatchEvent(new HashChangeEvent('hashchange')); } else { location.hash = h; } }",
            hashRoute);
        await Page.Locator("main[aria-busy=false]").WaitForAsync();
    }

    /// <summary>
    /// After an async invoke from the form: the console moved to the invocation's page. The URL
    /// is polled (a hash change can land before a navigation waiter is set up), and a form that
    /// showed an answer instead fails with that answer, not a bare timeout.
    /// </summary>
    public async Task ExpectInvocationPageAsync()
    {
        try
        {
            await Assertions.Expect(Page).ToHaveURLAsync(new Regex("#/invocation\\?id=[0-9a-f]+$"), new() { Timeout = 120_000 });
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException)
        {
            var shown = await Locator("#invoke-output").TextContentAsync(new() { Timeout = 5_000 });
            throw new Xunit.Sdk.XunitException($"the console stayed on the invoke form, showing: {shown}\n{e.Message}");
        }
    }

    public static string Files(string path) => "#/fs?path=" + Uri.EscapeDataString(path);

    public async Task SignInAsync(string user, bool remember = false)
    {
        await GoAsync("#/signin");
        await Locator("#signin-user").FillAsync(user);
        await Locator("#signin-password").FillAsync(ConsoleStack.Password(user));
        if (remember)
        {
            await Locator("#signin-remember").CheckAsync();
        }

        await Locator("#signin-form button[type=submit]").ClickAsync();
        await Assertions.Expect(Locator(".who-user")).ToContainTextAsync(user);
        await Page.Locator("main[aria-busy=false] #entries, main[aria-busy=false] .withheld").First.WaitForAsync(new() { State = WaitForSelectorState.Attached });
    }

    public async Task<IReadOnlyList<string>> ViolationsAsync() => await Page.EvaluateAsync<string[]>("() => window.__violations");

    /// <summary>Nothing ran that should not have: no dialog, no console error, no page error, no CSP violation.</summary>
    public async Task AssertNothingRanAsync()
    {
        Assert.Empty(Dialogs);
        Assert.Empty(Problems);
        Assert.Empty(await ViolationsAsync());
    }

    /// <summary>Saves a screenshot to FAASTEN_CONSOLE_SCREENSHOTS (scripts/console-screenshots.sh sets docs/console) or to <paramref name="fallback"/>.</summary>
    public async Task ScreenshotAsync(string name, string fallback)
    {
        var directory = Environment.GetEnvironmentVariable("FAASTEN_CONSOLE_SCREENSHOTS") is { Length: > 0 } chosen ? chosen : fallback;
        Directory.CreateDirectory(directory);
        var file = Path.Combine(directory, name + ".png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true });
        Assert.True(new FileInfo(file).Length > 0, $"empty screenshot {file}");
    }

    public async ValueTask DisposeAsync() => await Context.CloseAsync();
}
