using System.Net;
using System.Net.Http.Json;
using Faasten.FunctionalTests.Stack;
using Microsoft.Playwright;
using static Faasten.FunctionalTests.Stack.Api;

namespace Faasten.FunctionalTests.Console;

/// <summary>
/// The console's user story in headless chromium against a real <c>faasten serve</c>: alice
/// signs in, uploads a photo, runs gen-thumb from the console and sees her thumbnails with
/// their labels, the logs and the taint trail; bob sees her private objects only as withheld.
/// Screenshots of the main pages are taken on the way (docs/console, via scripts/console-screenshots.sh).
/// </summary>
public sealed class ConsoleStoryTests(ConsoleStack stack) : IClassFixture<ConsoleStack>, IAsyncLifetime
{
    private const string Thumbs = "home:<alice,alice>:thumbs";
    private const string Gate = "home:<T,alice>:gen-thumb";

    // Bob's function: privilege bob, so what it learns of alice stays alice's; it tries to
    // leave a trace bob can see (a file named after the secret, the logs, the result).
    private const string Thief = """
        def handle(event, cloudcall):
            secret = cloudcall.fs_read(event["path"]).decode()
            print("stolen:", secret)
            try:
                cloudcall.fs_createfile("home:<T,bob>:loot:" + secret.split()[1], label="T,bob")
            except Exception as e:
                print("refused:", type(e).__name__)
            return {"secret": secret}
        """;

    private const string Peek = """
        def handle(event, cloudcall):
            print("peeking at", event["path"])
            return {"text": cloudcall.fs_read(event["path"]).decode()}
        """;

    private string Shots => stack.Scratch("screenshots");

    public async Task InitializeAsync()
    {
        // Idempotent per class: the first test registers the gate.
        using var alice = await stack.ApiAsync("alice");
        using var stat = await alice.GetAsync($"/fs/stat?path={Q(Gate)}");
        if (stat.StatusCode == HttpStatusCode.NotFound)
        {
            await stack.RegisterGenThumbAsync(alice);
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Alice_UploadsAPhoto_RunsGenThumb_SeesThumbnailsLabelsLogsAndTrail()
    {
        await using var console = await stack.OpenAsync();
        await console.ScreenshotAsync("sign-in", Shots);
        await console.SignInAsync("alice");

        // Her home (~ is home:<alice,alice>): a directory for the thumbnails, then the photo, both from the console.
        await console.Locator("#mkdir-name").FillAsync("thumbs");
        await console.Locator("#mkdir-form button[type=submit]").ClickAsync();
        await console.Locator("#entries li[data-name='thumbs']").WaitForAsync();
        await console.Locator("#upload-file").SetInputFilesAsync(Path.Combine(Repository.Example("gen-thumb"), "photo.jpg"));
        await Assertions.Expect(console.Locator("#upload-name")).ToHaveValueAsync("photo.jpg");
        await console.Locator("#upload-form button[type=submit]").ClickAsync();
        var photo = console.Locator("#entries li[data-name='photo.jpg']");
        await Assertions.Expect(photo.Locator(".kind")).ToHaveTextAsync("blob");
        await Assertions.Expect(photo.Locator(".label")).ToHaveAttributeAsync("data-label", "alice,alice");
        await Assertions.Expect(photo.Locator(".label-secrecy .principal")).ToHaveTextAsync("alice");
        await console.ScreenshotAsync("files", Shots);

        // The gate: its kind and label, and the way to invoke it.
        await console.GoAsync(ConsolePage.Files(Gate));
        await Assertions.Expect(console.Locator(".object-head .kind")).ToHaveTextAsync("gate");
        await Assertions.Expect(console.Locator(".object-head .label")).ToHaveAttributeAsync("data-label", "T,alice");
        // What she may read of it (GET /gates), field by field, as registered.
        var details = console.Locator("#details");
        await Assertions.Expect(details).ToContainTextAsync("privilege");
        await Assertions.Expect(details).ToContainTextAsync("clearance");
        await Assertions.Expect(details).ToContainTextAsync("256 MB");
        await Assertions.Expect(details).ToContainTextAsync("python3");
        await Assertions.Expect(console.Locator("#details-unavailable")).ToHaveCountAsync(0);
        await console.ScreenshotAsync("gate", Shots);
        await console.Locator("#invoke-gate").ClickAsync();
        await Assertions.Expect(console.Locator("#invoke-path")).ToHaveValueAsync(Gate);

        // Async, so the invocation page shows the result, the logs, the record and the trail.
        await console.Locator("#invoke-payload").FillAsync("""{"input": "home:<alice,alice>:photo.jpg", "output_dir": "home:<alice,alice>:thumbs", "sizes": [[128, 128], [64, 64]]}""");
        await console.Locator("#mode-async").CheckAsync();
        await console.ScreenshotAsync("invoke", Shots);
        await console.Locator("#invoke-submit").ClickAsync();
        await console.ExpectInvocationPageAsync();
        await Assertions.Expect(console.Locator("#result .badge-ok")).ToHaveTextAsync("ok", new() { Timeout = 120_000 });
        // The gate declassifies alice (its privilege), so the result leaves public...
        await Assertions.Expect(console.Locator("#result .label")).ToHaveAttributeAsync("data-label", "T,alice");

        // ...while the logs keep the label before declassification (gen-thumb writes none: shown as such).
        await Assertions.Expect(console.Locator("#logs-text")).ToHaveTextAsync("(nothing written)");
        await Assertions.Expect(console.Locator("#invocation-logs .label")).ToHaveAttributeAsync("data-label", new System.Text.RegularExpressions.Regex("^alice,"));

        // The record and the trail: reading the photo is the step that made the result alice's.
        await Assertions.Expect(console.Locator("#invocation-record .fields")).ToContainTextAsync(Gate);
        await Assertions.Expect(console.Locator("#invocation-record .fields")).ToContainTextAsync("ok");
        var read = console.Page.Locator("#trail li", new() { HasText = "photo.jpg" });
        await Assertions.Expect(read).ToHaveCountAsync(1);
        await Assertions.Expect(read.Locator(".label")).ToHaveAttributeAsync("data-label", new System.Text.RegularExpressions.Regex("^alice,"));
        await console.ScreenshotAsync("invocation", Shots);

        // The thumbnails, each with its label; one opened shows its size and a preview.
        await console.GoAsync(ConsolePage.Files(Thumbs));
        foreach (var name in new[] { "128-128.jpeg", "64-64.jpeg" })
        {
            var entry = console.Locator($"#entries li[data-name='{name}']");
            await Assertions.Expect(entry.Locator(".kind")).ToHaveTextAsync("blob");
            await Assertions.Expect(entry.Locator(".label")).ToHaveAttributeAsync("data-label", new System.Text.RegularExpressions.Regex("^alice,"));
        }

        await console.ScreenshotAsync("thumbnails", Shots);
        await console.Locator("#entries li[data-name='64-64.jpeg'] a").ClickAsync();
        await Assertions.Expect(console.Locator(".fields")).ToContainTextAsync("bytes");
        await Assertions.Expect(console.Locator("#preview")).ToBeVisibleAsync();
        Assert.True(await console.Locator("#preview").EvaluateAsync<int>("img => img.naturalWidth") is > 0 and <= 64);
        await console.ScreenshotAsync("blob", Shots);

        // Recent invocations list hers.
        await console.GoAsync("#/invocations?gate=" + Uri.EscapeDataString(Gate));
        await Assertions.Expect(console.Locator("#invocations li .entry-name").First).ToContainTextAsync(Gate);
        await console.ScreenshotAsync("invocations", Shots);

        // Sync from the console: the result and its label at once.
        await console.GoAsync("#/invoke?path=" + Uri.EscapeDataString(Gate));
        await console.Locator("#invoke-payload").FillAsync("""{"input": "home:<alice,alice>:photo.jpg", "output_dir": "home:<alice,alice>:thumbs", "sizes": [[32, 32]]}""");
        await console.Locator("#invoke-submit").ClickAsync();
        await Assertions.Expect(console.Locator("#result .badge-ok")).ToHaveTextAsync("ok", new() { Timeout = 120_000 });
        await Assertions.Expect(console.Locator("#result .label")).ToHaveAttributeAsync("data-label", "T,alice");
        // The gateway names a sync invocation too, so its trail is right there.
        await Assertions.Expect(console.Page.Locator("#invoke-details #trail li", new() { HasText = "photo.jpg" })).ToHaveCountAsync(1);

        await console.AssertNothingRanAsync();
    }

    [Fact]
    public async Task Bob_SeesAlicesPrivateObjects_OnlyAsWithheld()
    {
        const string secret = "alice's diary: the cake is a lie";
        using var alice = await stack.ApiAsync("alice");
        await (await alice.PostAsync($"/fs/file?path={Q("home:<alice,alice>:diary.txt")}", new StringContent(secret))).OkJsonAsync(HttpStatusCode.Created);
        // A private note in her public directory: bob may see its name and label, not its content.
        await (await alice.PostAsync($"/fs/file?path={Q("home:<T,alice>:note.txt")}&label={Q("alice,alice")}", new StringContent(secret))).OkJsonAsync(HttpStatusCode.Created);
        // A gate that reads what it is given and cannot declassify alice: its result stays hers.
        const string peek = "home:<T,alice>:peek";
        _ = await alice.PutBlobAsync("home:<T,alice>:peek.img", await FunctionImage.FromWorkloadAsync(Peek));
        await (await alice.PostAsJsonAsync("/gates", new { path = peek, blob = "home:<T,alice>:peek.img", privilege = "alice/peek", clearance = "T" })).OkJsonAsync(HttpStatusCode.Created);
        var id = (await (await alice.PostAsJsonAsync("/invoke", new { path = peek, payload = new { path = "home:<alice,alice>:diary.txt" }, sync = false }))
            .OkJsonAsync(HttpStatusCode.Accepted)).GetProperty("id").GetString()!;
        using (var done = await alice.WaitForResultAsync(id))
        {
            Assert.NotEqual(HttpStatusCode.Accepted, done.StatusCode);
        }

        await using var console = await stack.OpenAsync();
        await console.SignInAsync("bob");

        // Her private facet: its label is in its name, so the console shows it; its entries are withheld.
        await console.GoAsync(ConsolePage.Files("home:<alice,alice>"));
        await Assertions.Expect(console.Locator(".object-head .label")).ToHaveAttributeAsync("data-label", "alice,alice");
        await Assertions.Expect(console.Locator("main .withheld")).ToBeVisibleAsync();
        await Assertions.Expect(console.Locator("#entries")).ToHaveCountAsync(0);
        await console.ScreenshotAsync("withheld", Shots);

        // What is inside: withheld, existing or not, with nothing of it (not even its kind).
        foreach (var path in new[] { "home:<alice,alice>:diary.txt", "home:<alice,alice>:no-such-file" })
        {
            await console.GoAsync(ConsolePage.Files(path));
            await Assertions.Expect(console.Locator("main .withheld")).ToBeVisibleAsync();
            await Assertions.Expect(console.Locator("#entries, .object-head, #file-content")).ToHaveCountAsync(0);
        }

        // Her public directory lists the note with its label; opening it withholds the content.
        await console.GoAsync(ConsolePage.Files("home:<T,alice>"));
        var note = console.Locator("#entries li[data-name='note.txt']");
        await Assertions.Expect(note.Locator(".label")).ToHaveAttributeAsync("data-label", "alice,alice");
        await note.Locator("a").ClickAsync();
        await Assertions.Expect(console.Locator("main .withheld")).ToBeVisibleAsync();
        await Assertions.Expect(console.Locator("#file-content")).ToHaveCountAsync(0);

        // The home faceted directory lists only facets bob may read.
        await console.GoAsync(ConsolePage.Files("home"));
        await Assertions.Expect(console.Locator("#facets li[data-facet='T,alice']")).ToHaveCountAsync(1);
        await Assertions.Expect(console.Locator("#facets li[data-facet='bob,bob']")).ToHaveCountAsync(1);
        await Assertions.Expect(console.Locator("#facets li[data-facet='alice,alice']")).ToHaveCountAsync(0);

        // Her invocation: the result withheld; logs, record and trail not available to him; not in his list.
        await console.GoAsync("#/invocation?id=" + id);
        await Assertions.Expect(console.Locator("#result .withheld")).ToBeVisibleAsync();
        await Assertions.Expect(console.Locator("#invocation-logs .not-available")).ToBeVisibleAsync();
        await Assertions.Expect(console.Locator("#invocation-record .not-available")).ToBeVisibleAsync();
        await Assertions.Expect(console.Locator("#invocation-trail .not-available")).ToBeVisibleAsync();
        await console.GoAsync("#/invocations");
        await Assertions.Expect(console.Locator($"#invocations li[data-id='{id}']")).ToHaveCountAsync(0);

        Assert.DoesNotContain("cake", await console.Page.ContentAsync(), StringComparison.Ordinal);
        await console.AssertNothingRanAsync();

        // The same page for alice shows what bob was refused.
        await using var hers = await stack.OpenAsync();
        await hers.SignInAsync("alice");
        await hers.GoAsync("#/invocation?id=" + id);
        await Assertions.Expect(hers.Locator("#result-body")).ToContainTextAsync("the cake is a lie");
        await Assertions.Expect(hers.Locator("#result .label")).ToHaveAttributeAsync("data-label", new System.Text.RegularExpressions.Regex("^alice,"));
        await hers.GoAsync(ConsolePage.Files("home:<alice,alice>:diary.txt"));
        await Assertions.Expect(hers.Locator("#file-content")).ToHaveTextAsync(secret);
    }

    [Fact]
    public async Task Alice_WritesAFileWithAChosenLabel_ReadsAndDownloadsIt()
    {
        await using var console = await stack.OpenAsync();
        await console.SignInAsync("alice");
        await console.GoAsync(ConsolePage.Files("home:<T,alice>"));
        await console.Locator("#write-name").FillAsync("plan.txt");
        await console.Locator("#write-label").FillAsync("alice,alice");
        await console.Locator("#write-content").FillAsync("meet at noon\n");
        await console.Locator("#write-form button[type=submit]").ClickAsync();
        var entry = console.Locator("#entries li[data-name='plan.txt']");
        await Assertions.Expect(entry.Locator(".label")).ToHaveAttributeAsync("data-label", "alice,alice");

        // The server agrees: that label, that content.
        using var alice = await stack.ApiAsync("alice");
        var stat = await (await alice.GetAsync($"/fs/stat?path={Q("home:<T,alice>:plan.txt")}")).OkJsonAsync();
        Assert.Equal("alice,alice", stat.GetProperty("label").GetString());

        await entry.Locator("a").ClickAsync();
        await Assertions.Expect(console.Locator("#file-content")).ToHaveTextAsync("meet at noon\n");
        var download = await console.Page.RunAndWaitForDownloadAsync(() => console.Locator("#download").ClickAsync());
        Assert.Equal("plan.txt", download.SuggestedFilename);
        var saved = stack.Scratch("plan-download.txt");
        await download.SaveAsAsync(saved);
        Assert.Equal("meet at noon\n", await File.ReadAllTextAsync(saved));

        // Bad input is refused in the page, naming what is wrong, before anything is sent.
        await console.GoAsync(ConsolePage.Files("home:<T,alice>"));
        await console.Locator("#write-name").FillAsync("bad:name");
        await console.Locator("#write-form button[type=submit]").ClickAsync();
        await Assertions.Expect(console.Locator("#create-status .error")).ToContainTextAsync("may not contain ':'");
        await console.Locator("#write-name").FillAsync("ok-name");
        await console.Locator("#write-label").FillAsync("alice,");
        await console.Locator("#write-form button[type=submit]").ClickAsync();
        await Assertions.Expect(console.Locator("#create-status .error")).ToContainTextAsync("offset 6");
        await Assertions.Expect(console.Locator("#entries li[data-name='ok-name']")).ToHaveCountAsync(0);

        // A label the server refuses (integrity alice cannot endorse) comes back as its error.
        await console.Locator("#write-label").FillAsync("T,bob");
        await console.Locator("#write-form button[type=submit]").ClickAsync();
        await Assertions.Expect(console.Locator("#create-status .error")).ToContainTextAsync("HTTP 403");
        await console.AssertNothingRanAsync();
    }

    [Fact]
    public async Task Invoke_BadPayloadOrLabel_IsRefusedInThePage_AndAPayloadLabelTaintsTheAnswer()
    {
        await using var console = await stack.OpenAsync();
        await console.SignInAsync("alice");
        await console.GoAsync("#/invoke?path=" + Uri.EscapeDataString(Gate));
        await console.Locator("#invoke-payload").FillAsync("{not json");
        await console.Locator("#invoke-submit").ClickAsync();
        await Assertions.Expect(console.Locator("#invoke-problem .error")).ToContainTextAsync("payload is not JSON");
        await console.Locator("#invoke-payload").FillAsync("{}");
        await console.Locator("#invoke-label").FillAsync("alice|,T");
        await console.Locator("#invoke-submit").ClickAsync();
        await Assertions.Expect(console.Locator("#invoke-problem .error")).ToContainTextAsync("label: invalid label text at offset 6");
        await Assertions.Expect(console.Locator("#result")).ToHaveCountAsync(0);

        // A payload labeled secret to carol taints the answer beyond what alice may read: withheld, even from her.
        await console.Locator("#invoke-label").FillAsync("alice&carol,alice");
        await console.Locator("#invoke-submit").ClickAsync();
        await Assertions.Expect(console.Locator("#result .withheld")).ToBeVisibleAsync(new() { Timeout = 120_000 });
        await Assertions.Expect(console.Locator("#result-body")).ToHaveCountAsync(0);
        await console.AssertNothingRanAsync();
    }

    [Fact]
    public async Task ARejectedToken_IsForgotten_AndTheConsoleAsksToSignInAgain()
    {
        await using var console = await stack.OpenAsync();
        await console.Page.EvaluateAsync("() => sessionStorage.setItem('faasten.token', 'not-a-token')");
        await console.Page.ReloadAsync();
        await console.Locator("html[data-ready=true]").WaitForAsync();
        await Assertions.Expect(console.Locator("#who a")).ToHaveTextAsync("Sign in");
        Assert.Null(await console.Page.EvaluateAsync<string?>("() => sessionStorage.getItem('faasten.token')"));
        await console.AssertNothingRanAsync();
    }

    [Fact]
    public async Task BobsFunction_RunByAliceFromHerConsole_LeavesBobsConsoleNothingOfHers()
    {
        const string secret = "alice's password-is-swordfish";
        using (var alice = await stack.ApiAsync("alice"))
        {
            await (await alice.PostAsync($"/fs/file?path={Q("home:<alice,alice>:secret.txt")}", new StringContent(secret))).OkJsonAsync(HttpStatusCode.Created);
        }

        using (var bob = await stack.ApiAsync("bob"))
        {
            await (await bob.PostAsync($"/fs/dir?path={Q("home:<T,bob>:loot")}", null)).OkJsonAsync(HttpStatusCode.Created);
            _ = await bob.PutBlobAsync("home:<T,bob>:thief.img", await FunctionImage.FromWorkloadAsync(Thief));
            await (await bob.PostAsJsonAsync("/gates", new { path = "home:<T,bob>:thief", blob = "home:<T,bob>:thief.img", privilege = "bob", clearance = "T" })).OkJsonAsync(HttpStatusCode.Created);
        }

        // Alice runs it on her secret from her console: she sees all of it, labeled hers.
        await using var hers = await stack.OpenAsync();
        await hers.SignInAsync("alice");
        await hers.GoAsync("#/invoke?path=" + Uri.EscapeDataString("home:<T,bob>:thief"));
        await hers.Locator("#invoke-payload").FillAsync("""{"path": "home:<alice,alice>:secret.txt"}""");
        await hers.Locator("#invoke-submit").ClickAsync();
        await Assertions.Expect(hers.Locator("#result-body")).ToContainTextAsync("swordfish", new() { Timeout = 120_000 });
        await Assertions.Expect(hers.Locator("#result .label")).ToHaveAttributeAsync("data-label", new System.Text.RegularExpressions.Regex("^alice,"));
        await Assertions.Expect(hers.Locator("#logs-text")).ToContainTextAsync("stolen: alice's password-is-swordfish");
        await Assertions.Expect(hers.Locator("#logs-text")).ToContainTextAsync("refused:");
        var id = await hers.Locator("#invoke-output a[href^='#/invocation?id='] code").TextContentAsync();
        Assert.Matches("^[0-9a-f]{32}$", id);

        // Bob's console: his loot directory is empty, his gate's invocations list nothing, the
        // invocation itself (id and all) gives him nothing, and no page holds the secret.
        await using var his = await stack.OpenAsync();
        await his.SignInAsync("bob");
        await his.GoAsync(ConsolePage.Files("home:<T,bob>:loot"));
        await Assertions.Expect(his.Locator("#entries li")).ToHaveCountAsync(0);
        var page = await his.Page.ContentAsync();
        await his.GoAsync("#/invocations?gate=" + Uri.EscapeDataString("home:<T,bob>:thief"));
        await Assertions.Expect(his.Locator("#invocations")).ToContainTextAsync("No invocation you may see.");
        page += await his.Page.ContentAsync();
        await his.GoAsync("#/invocation?id=" + id);
        // Withheld, or not found where the gateway keeps no sync result: either way nothing of it.
        await Assertions.Expect(his.Locator("#result")).ToContainTextAsync(new System.Text.RegularExpressions.Regex("withheld|not_found"));
        await Assertions.Expect(his.Locator("#invocation-logs .not-available")).ToBeVisibleAsync();
        await Assertions.Expect(his.Locator("#invocation-trail .not-available")).ToBeVisibleAsync();
        page += await his.Page.ContentAsync();
        Assert.DoesNotContain("swordfish", page, StringComparison.Ordinal);
        await hers.AssertNothingRanAsync();
        await his.AssertNothingRanAsync();
    }

    [Fact]
    public async Task LongDirectory_PagesThroughTheListingApi()
    {
        using var alice = await stack.ApiAsync("alice");
        await (await alice.PostAsync($"/fs/dir?path={Q("home:<T,alice>:many")}", null)).OkJsonAsync(HttpStatusCode.Created);
        for (var i = 0; i < 57; i++)
        {
            await (await alice.PostAsync($"/fs/file?path={Q($"home:<T,alice>:many:f{i:D3}")}", new StringContent("x"))).OkJsonAsync(HttpStatusCode.Created);
        }

        await using var console = await stack.OpenAsync();
        await console.SignInAsync("alice");
        await console.GoAsync(ConsolePage.Files("home:<T,alice>:many"));
        await Assertions.Expect(console.Locator("#entries li")).ToHaveCountAsync(50);
        await Assertions.Expect(console.Locator("#entries li").First).ToHaveAttributeAsync("data-name", "f000");
        await console.Locator("#next-page").ClickAsync();
        await Assertions.Expect(console.Locator("#entries li")).ToHaveCountAsync(7);
        await Assertions.Expect(console.Locator("#entries li").First).ToHaveAttributeAsync("data-name", "f050");
        await Assertions.Expect(console.Locator("#next-page")).ToHaveCountAsync(0);
        await console.AssertNothingRanAsync();
    }

    [Fact]
    public async Task SignIn_ByKeyboard_KeepsTheTokenForTheTab_AndSignOutForgetsIt()
    {
        await using var console = await stack.OpenAsync();
        await console.GoAsync("#/signin");
        await Assertions.Expect(console.Locator("#signin-user")).ToBeFocusedAsync();
        await console.Page.Keyboard.TypeAsync("alice");
        await console.Page.Keyboard.PressAsync("Tab");
        await console.Page.Keyboard.TypeAsync(ConsoleStack.Password("alice"));
        await console.Page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(console.Locator(".who-user")).ToContainTextAsync("alice");
        Assert.NotNull(await console.Page.EvaluateAsync<string?>("() => sessionStorage.getItem('faasten.token')"));
        Assert.Null(await console.Page.EvaluateAsync<string?>("() => localStorage.getItem('faasten.token')"));

        await console.Locator("#sign-out").ClickAsync();
        await Assertions.Expect(console.Locator("#signin-form")).ToBeVisibleAsync();
        Assert.Null(await console.Page.EvaluateAsync<string?>("() => sessionStorage.getItem('faasten.token')"));

        // "Remember" keeps it across tabs (localStorage); signing out forgets that too.
        await console.SignInAsync("alice", remember: true);
        Assert.NotNull(await console.Page.EvaluateAsync<string?>("() => localStorage.getItem('faasten.token')"));
        Assert.Null(await console.Page.EvaluateAsync<string?>("() => sessionStorage.getItem('faasten.token')"));
        var second = await console.Context.NewPageAsync();
        await second.GotoAsync("/");
        await Assertions.Expect(second.Locator(".who-user")).ToContainTextAsync("alice");
        await console.Locator("#sign-out").ClickAsync();
        Assert.Null(await console.Page.EvaluateAsync<string?>("() => localStorage.getItem('faasten.token')"));
        await console.AssertNothingRanAsync();
    }

    [Fact]
    public async Task PhoneWidth_EveryPageFitsWithoutSideScrolling()
    {
        await using var console = await stack.OpenAsync(390, 844);
        await console.SignInAsync("alice");
        foreach (var route in new[] { ConsolePage.Files("~"), ConsolePage.Files("home"), ConsolePage.Files(Gate), "#/invoke?path=" + Uri.EscapeDataString(Gate), "#/invocations", "#/labels" })
        {
            await console.GoAsync(route);
            var overflow = await console.Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
            Assert.True(overflow <= 0, $"{route} scrolls sideways by {overflow}px at 390px");
            await Assertions.Expect(console.Locator("#sign-out")).ToBeVisibleAsync();
        }

        await console.GoAsync(ConsolePage.Files("~"));
        await console.ScreenshotAsync("phone", Shots);
        await console.AssertNothingRanAsync();
    }
}
