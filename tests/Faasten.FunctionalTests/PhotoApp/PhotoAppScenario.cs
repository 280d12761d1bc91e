using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Faasten.FunctionalTests.Stack;
using Faasten.Tests.Common;
using Faasten.Tests.Common.Tutorial;
using static Faasten.FunctionalTests.Stack.Api;

namespace Faasten.FunctionalTests.PhotoApp;

/// <summary>
/// The acceptance test of examples/pma against real server processes: the app registered
/// with its own script, alice's photos and everything derived from them private to her, bob
/// unable to reach any of it through the API or through a function written to steal it, and
/// after alice shares one photo, bob (and only bob) reading exactly that photo and its
/// thumbnails. <see cref="PhotoAppTests"/> runs it against <c>faasten serve</c>; the cluster
/// tests run the same scenario against gateways and workers in separate processes.
/// </summary>
public abstract class PhotoAppScenario : IAsyncLifetime
{
    private const string Library = "home:<alice,alice/pma>";
    private const string Gates = "home:<T,alice>:pma";
    private const string Shared = "home:<alice|bob,alice>:shared";
    private const string Loot = "home:<T,bob>:loot";

    // Bob's function: privilege bob, so it may read what bob may read and write bob's public
    // directory. Each strategy first drops a canary in the loot directory (proof that writes
    // there work), then tries to get something of alice's there.
    private const string Thief = """
        LOOT = "home:<T,bob>:loot"
        PHOTO = "home:<alice,alice/pma>:photos:beach.jpg"
        THUMBS = "home:<alice,alice/pma>:thumbs"


        def read_photo(cloudcall):
            with cloudcall.fs_openblob(PHOTO) as blob:
                return blob.read()


        def copy(cloudcall):
            data = read_photo(cloudcall)
            with cloudcall.create_blob(LOOT + ":photo.jpg") as out:
                out.finalize(data)


        def relabel(cloudcall):
            data = read_photo(cloudcall)
            with cloudcall.create_blob(LOOT + ":photo.jpg", label="T,bob") as out:
                out.finalize(data)


        def declassify(cloudcall):
            data = read_photo(cloudcall)
            cloudcall.declassify("T")
            with cloudcall.create_blob(LOOT + ":photo.jpg") as out:
                out.finalize(data)


        def hardlink(cloudcall):
            cloudcall.fs_hardlink(PHOTO, LOOT + ":photo.jpg")


        def names(cloudcall):
            listed = sorted(cloudcall.fs_list(THUMBS))
            cloudcall.fs_createfile(LOOT + ":names", label="T,bob")
            cloudcall.fs_write(LOOT + ":names", ",".join(listed))


        def facets(cloudcall):
            seen = cloudcall.fs_faceted_list("home", clearance="alice,T")
            cloudcall.fs_createfile(LOOT + ":facets", label="T,bob")
            cloudcall.fs_write(LOOT + ":facets", ",".join(sorted(seen)))


        def thumbnailer(cloudcall):
            cloudcall.invoke("home:<T,alice>:pma:gen-thumb", {
                "input": PHOTO, "output_dir": LOOT, "prefix": "stolen", "sizes": [[64, 64]]})


        def share(cloudcall):
            cloudcall.invoke("home:<T,alice>:pma:share-photo", {"photo": "beach.jpg", "with": "T"})


        def handle(event, cloudcall):
            strategy = event["strategy"]
            cloudcall.fs_createfile("%s:canary-%d-%s" % (LOOT, event["round"], strategy), label="T,bob")
            globals()[strategy](cloudcall)
            return {"stole": strategy}
        """;

    private static readonly string[] Strategies = ["copy", "relabel", "declassify", "hardlink", "names", "facets", "thumbnailer", "share"];

    private static readonly (string Name, string Taken)[] Photos =
    [
        ("beach.jpg", "2026/07/14/18"), // EXIF DateTime
        ("mountain.jpg", "2025/12/31/23"), // EXIF DateTime
        ("city.jpg", "2026/11/22/08"), // no EXIF: the upload time add-photo is given
    ];

    private readonly TempDirectory _dir = new("fpma");
    private bool _thiefRegistered;

    /// <summary>The users of the scenario; each signs in with the password USER-pw.</summary>
    protected static readonly string[] Users = ["alice", "bob", "carol"];

    /// <summary>A private directory for the scenario's files (removed afterwards).</summary>
    protected TempDirectory WorkDirectory => _dir;

    /// <summary>Starts the servers with <see cref="Users"/> added.</summary>
    protected abstract Task StartAsync();

    protected abstract Task StopAsync();

    /// <summary>The server <paramref name="user"/> talks to (a cluster spreads users over its gateways).</summary>
    protected abstract Uri ServerFor(string user);

    public Task InitializeAsync() => StartAsync();

    public async Task DisposeAsync()
    {
        await StopAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task PhotoApp_PrivateUntilShared_AndThenOnlyWithTheNamedFriend()
    {
        using var alice = await SignInAsync("alice");
        using var bob = await SignInAsync("bob");
        using var carol = await SignInAsync("carol");

        await RegisterAppAsync(alice, "alice");
        await AddPhotosAsync(alice);
        var thumbnails = await AssertLibraryAsync(alice);

        await AssertBobSeesNothingThroughTheApiAsync(bob, thumbnails);
        await AssertBobsThiefGetsNothingAsync(bob, round: 1);

        // The one privileged step: alice shares beach.jpg with bob.
        var shared = await (await alice.PostAsJsonAsync("/invoke", new JsonObject
        {
            ["path"] = $"{Gates}:share-photo",
            ["payload"] = new JsonObject { ["photo"] = "beach.jpg", ["with"] = "bob" },
        })).OkJsonAsync();
        Assert.Equal("alice|bob,alice", shared.GetProperty("label").GetString());

        // Bob reads exactly that photo and its thumbnails, byte for byte what alice has...
        var beach = await File.ReadAllBytesAsync(Path.Combine(Repository.Example("pma"), "photos", "beach.jpg"));
        Assert.Equal(["beach-128x128.jpeg", "beach-64x64.jpeg", "beach.jpg"], await NamesAsync(bob, Shared));
        Assert.Equal(beach, await ReadBlobAsync(bob, $"{Shared}:beach.jpg"));
        foreach (var size in new[] { "128x128", "64x64" })
        {
            var name = $"beach-{size}.jpeg";
            Assert.Equal(thumbnails[name], await ReadBlobAsync(bob, $"{Shared}:{name}"));
            Assert.Equal("alice|bob,alice", await LabelOfAsync(bob, $"{Shared}:{name}"));
        }

        // ...and nothing else: the rest of the library is still withheld, bob's thief still gets
        // nothing of the photos that were not shared, and carol, who was not named, cannot read
        // the share. (What was shared, bob may pass on: under DC labels either owner of
        // alice|bob can declassify it, as he could by downloading it.)
        await AssertBobSeesNothingThroughTheApiAsync(bob, thumbnails);
        await AssertBobsThiefGetsNothingAsync(bob, round: 2, $"{Library}:photos:mountain.jpg");
        await (await carol.GetAsync($"/fs/list?path={Q(Shared)}")).AssertWithheldAsync();
        await (await carol.GetAsync($"/fs/blob?path={Q(Shared + ":beach.jpg")}")).AssertWithheldAsync();
    }

    private async Task RegisterAppAsync(HttpClient user, string name)
    {
        // examples/pma/register.sh exactly as a user runs it, with fstn from this build.
        var environment = new Dictionary<string, string>
        {
            ["FSTN_SERVER"] = ServerFor(name).ToString().TrimEnd('/'),
            ["FSTN_TOKEN"] = user.DefaultRequestHeaders.Authorization!.Parameter!,
            ["FSTN_DLL"] = Repository.Binary("fstn"),
            ["HOME"] = _dir.Path,
            ["TMPDIR"] = _dir.Path,
        };
        var (exitCode, output) = await ShellRun.RunAsync(
            $"fstn() {{ dotnet \"$FSTN_DLL\" \"$@\"; }}; export -f fstn; ./examples/pma/register.sh {name} && ./examples/pma/register.sh {name}",
            Repository.Root, environment, TimeSpan.FromMinutes(3));
        Assert.True(exitCode == 0, output);
        Assert.Contains("registered gate home:<T,alice>:pma:share-photo (privilege alice, clearance alice)", output, StringComparison.Ordinal);
        Assert.Contains("updated gate home:<T,alice>:pma:add-photo (privilege alice/pma, clearance alice)", output, StringComparison.Ordinal);
    }

    private static async Task AddPhotosAsync(HttpClient alice)
    {
        foreach (var (name, _) in Photos)
        {
            var bytes = await File.ReadAllBytesAsync(Path.Combine(Repository.Example("pma"), "photos", name));
            await alice.PutBlobAsync($"home:<alice,alice>:inbox:{name}", bytes);
            var added = await (await alice.PostAsJsonAsync("/invoke", new JsonObject
            {
                ["path"] = $"{Gates}:add-photo",
                ["payload"] = new JsonObject { ["photo"] = $"home:<alice,alice>:inbox:{name}", ["uploaded"] = "2026-11-22T08:15:00" },
            })).OkJsonAsync();
            Assert.Equal($"{Library}:photos:{name}", added.GetProperty("photo").GetString());
        }
    }

    /// <summary>The thumbnails, the time index and the photos, all under alice's private facet.</summary>
    private static async Task<Dictionary<string, byte[]>> AssertLibraryAsync(HttpClient alice)
    {
        Assert.Equal(Photos.Select(p => p.Name).Order(StringComparer.Ordinal), await NamesAsync(alice, $"{Library}:photos"));
        var thumbnails = new Dictionary<string, byte[]>();
        foreach (var name in await NamesAsync(alice, $"{Library}:thumbs"))
        {
            var path = $"{Library}:thumbs:{name}";
            thumbnails[name] = await ReadBlobAsync(alice, path);
            Assert.Equal("alice,alice/pma", await LabelOfAsync(alice, path));
        }
        Assert.Equal(6, thumbnails.Count);
        Assert.Equal((128, 96), JpegSize.Read(thumbnails["beach-128x128.jpeg"]));
        Assert.Equal((48, 64), JpegSize.Read(thumbnails["mountain-64x64.jpeg"]));

        foreach (var (name, taken) in Photos)
        {
            var hour = $"{Library}:time:{taken.Replace('/', ':')}";
            Assert.Equal([name], await NamesAsync(alice, hour));
            Assert.Equal("alice,alice/pma", await LabelOfAsync(alice, hour));
            var photo = await ReadBlobAsync(alice, $"{hour}:{name}");
            Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(Repository.Example("pma"), "photos", name)), photo);
        }
        return thumbnails;
    }

    private static async Task AssertBobSeesNothingThroughTheApiAsync(HttpClient bob, Dictionary<string, byte[]> thumbnails)
    {
        foreach (var directory in new[] { $"{Library}:photos", $"{Library}:thumbs", $"{Library}:time", $"{Library}:time:2025", "home:<alice,alice>:inbox" })
        {
            await (await bob.GetAsync($"/fs/list?path={Q(directory)}")).AssertWithheldAsync();
        }
        foreach (var name in thumbnails.Keys)
        {
            await (await bob.GetAsync($"/fs/blob?path={Q($"{Library}:thumbs:{name}")}")).AssertWithheldAsync();
        }
        foreach (var (name, taken) in Photos)
        {
            await (await bob.GetAsync($"/fs/blob?path={Q($"{Library}:photos:{name}")}")).AssertWithheldAsync();
            await (await bob.GetAsync($"/fs/blob?path={Q($"{Library}:time:{taken.Replace('/', ':')}:{name}")}")).AssertWithheldAsync();
        }
        // Asking to see alice's facets is itself reading at her label.
        await (await bob.GetAsync($"/fs/facets?path=home&clearance={Q("alice,T")}")).AssertWithheldAsync();
        var facets = (await (await bob.GetAsync("/fs/facets?path=home")).OkJsonAsync()).GetProperty("facets").EnumerateArray().Select(f => f.GetString()!).ToList();
        Assert.DoesNotContain("alice,alice", facets);
        Assert.DoesNotContain("alice,alice/pma", facets);

        // None of alice's gates lets bob in, the sharing step least of all.
        foreach (var gate in new[] { "add-photo", "gen-thumb", "time-index", "share-photo" })
        {
            var response = await bob.PostAsJsonAsync("/invoke", new JsonObject
            {
                ["path"] = $"{Gates}:{gate}",
                ["payload"] = new JsonObject { ["photo"] = "beach.jpg", ["with"] = "bob" },
            });
            await response.AssertErrorAsync(HttpStatusCode.Forbidden, "forbidden");
        }
    }

    private async Task AssertBobsThiefGetsNothingAsync(HttpClient bob, int round, string? target = null)
    {
        await EnsureThiefAsync(bob);
        var thief = Thief;
        if (target is not null)
        {
            thief = thief.Replace($"{Library}:photos:beach.jpg", target, StringComparison.Ordinal);
            await UpdateThiefAsync(bob, thief);
        }

        foreach (var strategy in Strategies)
        {
            using var response = await bob.PostAsJsonAsync("/invoke", new JsonObject
            {
                ["path"] = "home:<T,bob>:thief",
                ["payload"] = new JsonObject { ["strategy"] = strategy, ["round"] = round },
            });
            var body = await response.Content.ReadAsStringAsync();
            Assert.False(response.IsSuccessStatusCode, $"{strategy}: the thief reported success: {body}");
            Assert.DoesNotContain("stole", body, StringComparison.Ordinal);
        }

        // Every strategy of every round got as far as its canary, and no further.
        var canaries = Enumerable.Range(1, round).SelectMany(r => Strategies.Select(s => $"canary-{r}-{s}"));
        Assert.Equal(canaries.Order(StringComparer.Ordinal), await NamesAsync(bob, Loot));
    }

    private async Task EnsureThiefAsync(HttpClient bob)
    {
        if (_thiefRegistered)
        {
            return;
        }
        await (await bob.PostAsync($"/fs/dir?path={Q(Loot)}", null)).OkJsonAsync(HttpStatusCode.Created);
        await UpdateThiefAsync(bob, Thief);
        _thiefRegistered = true;
    }

    private async Task UpdateThiefAsync(HttpClient bob, string workload)
    {
        var image = await FunctionImage.FromWorkloadAsync(workload);
        var imagePath = $"home:<bob,bob>:thief-{Guid.NewGuid():N}.img";
        _ = await bob.PutBlobAsync(imagePath, image);
        var gate = new JsonObject
        {
            ["path"] = "home:<T,bob>:thief",
            ["blob"] = imagePath,
            ["label"] = "T,bob",
            ["privilege"] = "bob",
            ["clearance"] = "bob",
        };
        using var response = _thiefRegistered ? await bob.PutAsJsonAsync("/gates", gate) : await bob.PostAsJsonAsync("/gates", gate);
        await response.OkJsonAsync(_thiefRegistered ? HttpStatusCode.OK : HttpStatusCode.Created);
    }

    private async Task<HttpClient> SignInAsync(string user)
    {
        var client = new HttpClient { BaseAddress = ServerFor(user), Timeout = TimeSpan.FromMinutes(2) };
        var login = await (await client.PostAsJsonAsync("/auth/login", new JsonObject { ["user"] = user, ["password"] = user + "-pw" })).OkJsonAsync();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", login.GetProperty("token").GetString());
        return client;
    }

    private static async Task<List<string>> NamesAsync(HttpClient client, string directory)
    {
        var list = await (await client.GetAsync($"/fs/list?path={Q(directory)}")).OkJsonAsync();
        return list.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("name").GetString()!).Order(StringComparer.Ordinal).ToList();
    }

    private static async Task<byte[]> ReadBlobAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync($"/fs/blob?path={Q(path)}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"reading {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadAsByteArrayAsync();
    }

    private static async Task<string> LabelOfAsync(HttpClient client, string path)
    {
        var stat = await (await client.GetAsync($"/fs/stat?path={Q(path)}")).OkJsonAsync();
        return stat.GetProperty("label").GetString()!;
    }
}
