using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Faasten.Tests.Common.Tutorial;

/// <summary>
/// What a run of docs/tutorial.md must leave, whichever deployment ran it: the outputs it
/// promises, three denials for bob, and alice's three thumbnails with their sizes and her label,
/// which bob cannot read.
/// </summary>
public static class TutorialOutcome
{
    public const string Thumbnails = "home:<alice,alice>:thumbnails";

    /// <summary>The lines the tutorial shows for listing and for the denied cases are what the run printed.</summary>
    public static void AssertPromisedOutput(TutorialDocument tutorial, string output, string diagnostics)
    {
        ArgumentNullException.ThrowIfNull(tutorial);
        ArgumentNullException.ThrowIfNull(output);
        var promised = tutorial.OutputBlocks()
            .SelectMany(block => block.Split('\n'))
            .Where(line => line.StartsWith("blob ", StringComparison.Ordinal) || line.StartsWith("fstn: ", StringComparison.Ordinal) || line.StartsWith("denied", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(promised);
        foreach (var line in promised)
        {
            Assert.True(output.Contains(line, StringComparison.Ordinal), $"The tutorial promises '{line}', but the run printed:\n{output}\n{diagnostics}");
        }
        Assert.Equal(3, CountOf(output, "denied (exit 1)"));
    }

    /// <summary>
    /// Alice's thumbnails through <paramref name="alices"/> (names, sizes, label), the copy step 9
    /// saved in <paramref name="savedThumbnail"/>, and bob refused them through <paramref name="bobs"/>.
    /// </summary>
    public static async Task AssertPrivateThumbnailsAsync(TutorialDocument tutorial, Uri alices, Uri bobs, string savedThumbnail)
    {
        ArgumentNullException.ThrowIfNull(tutorial);
        using var alice = await SignInAsync(alices, "alice", tutorial.PasswordOf("alice"));
        var list = await alice.GetFromJsonAsync<JsonObject>(Route("fs/list", Thumbnails));
        var names = list!["entries"]!.AsArray().Select(e => (string)e!["name"]!).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["128-128.jpeg", "256-256.jpeg", "512-512.jpeg"], names);

        var expected = new Dictionary<string, (int, int)>
        {
            ["512-512.jpeg"] = (512, 384),
            ["256-256.jpeg"] = (256, 192),
            ["128-128.jpeg"] = (128, 96),
        };
        foreach (var (name, size) in expected)
        {
            var path = Thumbnails + ":" + name;
            var stat = await alice.GetFromJsonAsync<JsonObject>(Route("fs/stat", path));
            Assert.Equal("blob", (string?)stat!["kind"]);
            Assert.Equal("alice,alice", (string?)stat["label"]);
            var bytes = await alice.GetByteArrayAsync(Route("fs/blob", path));
            Assert.Equal(size, JpegSize.Read(bytes));
        }
        Assert.Equal((128, 96), JpegSize.Read(await File.ReadAllBytesAsync(savedThumbnail)));

        using var bob = await SignInAsync(bobs, "bob", tutorial.PasswordOf("bob"));
        using var stolen = await bob.GetAsync(Route("fs/blob", Thumbnails + ":128-128.jpeg"));
        Assert.Equal(HttpStatusCode.Forbidden, stolen.StatusCode);
        Assert.DoesNotContain("JFIF", await stolen.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    public static int CountOf(string text, string value)
    {
        ArgumentNullException.ThrowIfNull(text);
        var count = 0;
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + value.Length, StringComparison.Ordinal))
        {
            count++;
        }
        return count;
    }

    private static async Task<HttpClient> SignInAsync(Uri server, string user, string password)
    {
        var http = new HttpClient { BaseAddress = server };
        using var login = await http.PostAsJsonAsync("auth/login", new JsonObject { ["user"] = user, ["password"] = password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var token = (string)(await login.Content.ReadFromJsonAsync<JsonObject>())!["token"]!;
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    private static string Route(string route, string path) => route + "?path=" + Uri.EscapeDataString(path);
}
