using System.Text.Json.Nodes;
using Faasten.Cli.Tests.Support;

namespace Faasten.Cli.Tests.Commands;

/// <summary>ls, cat, put, write, mkdir, mkfaceted, rm, ln: the requests they send and what they print.</summary>
public sealed class FsCommandTests : IAsyncLifetime
{
    private readonly TempHome _home = new();
    private FakeGateway _gateway = null!;
    private TestConsole _console = new();

    public async Task InitializeAsync()
    {
        _gateway = await FakeGateway.StartAsync();
        _home.Variables["FSTN_SERVER"] = _gateway.Address;
        _home.Variables["FSTN_TOKEN"] = "tok";
    }

    [Fact]
    public async Task Ls_Directory_PrintsSortedAlignedEntries()
    {
        Stat("directory", "alice,alice");
        _gateway.On("GET", "/fs/list", 200, new JsonObject
        {
            ["entries"] = new JsonArray(Entry("thumbnails", "directory"), Entry("gen-thumb", "gate"), Entry("photo.jpg", "blob")),
        });

        Assert.Equal(0, await Run("ls", "home:<alice,alice>"));

        Assert.Equal(Lines("gate       gen-thumb", "blob       photo.jpg", "directory  thumbnails"), _console.Out);
        Assert.Equal("?path=home%3A%3Calice%2Calice%3E", _gateway.Single("GET", "/fs/list").RawQuery);
    }

    [Fact]
    public async Task Ls_PagedDirectory_FollowsNextUntilTheLastPage()
    {
        Stat("directory", "alice,alice");
        _gateway.On("GET", "/fs/list", request => request.Query.GetValueOrDefault("cursor") switch
        {
            null => FakeGateway.Json(200, new JsonObject { ["entries"] = new JsonArray(Entry("b", "file")), ["next"] = "c1" }),
            "c1" => FakeGateway.Json(200, new JsonObject { ["entries"] = new JsonArray(Entry("a", "file")), ["next"] = "c2" }),
            _ => FakeGateway.Json(200, new JsonObject { ["entries"] = new JsonArray(Entry("c", "blob")) }),
        });

        Assert.Equal(0, await Run("ls", "~"));

        Assert.Equal(Lines("file  a", "file  b", "blob  c"), _console.Out);
    }

    [Fact]
    public async Task Ls_PagedFacets_FollowsNextUntilTheLastPage()
    {
        Stat("faceted_directory", null);
        _gateway.On("GET", "/fs/facets", request => request.Query.GetValueOrDefault("cursor") is null
            ? FakeGateway.Json(200, new JsonObject { ["facets"] = new JsonArray("alice,alice"), ["next"] = "n" })
            : FakeGateway.Json(200, new JsonObject { ["facets"] = new JsonArray("T,alice") }));

        Assert.Equal(0, await Run("ls", "home"));

        Assert.Equal(Lines("facet  <T,alice>", "facet  <alice,alice>"), _console.Out);
    }

    [Fact]
    public async Task Ls_Long_StatsEachEntryForItsLabel()
    {
        _gateway.On("GET", "/fs/stat", request => request.Query["path"] switch
        {
            "~:thumbnails" => FakeGateway.Json(200, new JsonObject { ["kind"] = "directory", ["label"] = "alice,alice" }),
            "~:thumbnails:128x128.jpeg" => FakeGateway.Json(200, new JsonObject { ["kind"] = "blob", ["label"] = "alice,T" }),
            _ => FakeGateway.Error(403, "withheld", "response withheld by label"),
        });
        _gateway.On("GET", "/fs/list", 200, new JsonObject
        {
            ["entries"] = new JsonArray(Entry("128x128.jpeg", "blob"), Entry("secret.jpeg", "blob")),
        });

        Assert.Equal(0, await Run("ls", "-l", "~:thumbnails"));

        Assert.Equal(Lines("blob  alice,T     128x128.jpeg", "blob  (withheld)  secret.jpeg"), _console.Out);
    }

    [Fact]
    public async Task Ls_Faceted_PrintsFacetsAsPathComponents()
    {
        Stat("faceted_directory", null);
        _gateway.On("GET", "/fs/facets", 200, new JsonObject { ["facets"] = new JsonArray("T,alice", "alice,alice") });

        Assert.Equal(0, await Run("ls", "home", "--clearance", "alice,T"));

        Assert.Equal(Lines("facet  <T,alice>", "facet  <alice,alice>"), _console.Out);
        Assert.Equal("alice,T", _gateway.Single("GET", "/fs/facets").Query["clearance"]);
    }

    [Fact]
    public async Task Ls_Json_PrintsEntriesObject()
    {
        Stat("directory", "alice,alice");
        _gateway.On("GET", "/fs/list", 200, new JsonObject { ["entries"] = new JsonArray(Entry("a", "file")) });

        Assert.Equal(0, await Run("ls", "~", "--json"));

        var printed = JsonNode.Parse(_console.Out)!;
        Assert.Equal("directory", (string?)printed["kind"]);
        Assert.Equal("a", (string?)printed["entries"]![0]!["name"]);
    }

    [Fact]
    public async Task Ls_NotFound_Exits1WithServerMessage()
    {
        _gateway.On("GET", "/fs/stat", _ => FakeGateway.Error(404, "not_found", "no entry 'nope' in '~'"));

        Assert.Equal(1, await Run("ls", "~:nope"));

        Assert.Equal($"fstn: no entry 'nope' in '~' (not_found){Environment.NewLine}", _console.Error);
    }

    [Fact]
    public async Task Ls_ShellExpandedTilde_Exits2WithHint()
    {
        Assert.Equal(2, await Run("ls", "/home/alice"));
        Assert.Contains("did the shell expand '~'?", _console.Error, StringComparison.Ordinal);
        Assert.Empty(_gateway.Requests);
    }

    [Theory]
    [InlineData("blob", "/fs/blob")]
    [InlineData("file", "/fs/file")]
    public async Task Cat_StreamsExactBytes(string kind, string route)
    {
        var content = Enumerable.Range(0, 300_000).Select(i => (byte)(i * 7)).ToArray();
        Stat(kind, "alice,T");
        _gateway.On("GET", route, _ => FakeGateway.Bytes(content));

        Assert.Equal(0, await Run("cat", "~:photo.jpg"));

        Assert.Equal(content, _console.OutBytes);
    }

    [Fact]
    public async Task Cat_Directory_Exits2()
    {
        Stat("directory", "alice,alice");
        Assert.Equal(2, await Run("cat", "~"));
        Assert.Equal($"fstn: '~' is a directory, not a file or blob (try 'fstn ls') (wrong_kind){Environment.NewLine}", _console.Error);
    }

    [Fact]
    public async Task Cat_Withheld_Exits1()
    {
        _gateway.On("GET", "/fs/stat", _ => FakeGateway.Error(403, "withheld", "response withheld by label"));
        Assert.Equal(1, await Run("cat", "home:<alice,alice>:photo.jpg"));
        Assert.Equal($"fstn: response withheld by label (withheld){Environment.NewLine}", _console.Error);
    }

    [Fact]
    public async Task Put_UploadsFileWithLengthAndLabel()
    {
        var local = Path.Combine(_home.Path, "photo.jpg");
        var content = Enumerable.Range(0, 1_000_000).Select(i => (byte)i).ToArray();
        await File.WriteAllBytesAsync(local, content);
        _gateway.On("POST", "/fs/blob", request => FakeGateway.Json(201, new JsonObject { ["hash"] = "ab12", ["size"] = request.Body.Length }));

        Assert.Equal(0, await Run("put", local, "~:photos:photo.jpg", "--label", "alice,alice"));

        var request = _gateway.Single("POST", "/fs/blob");
        Assert.Equal(content, request.Body);
        Assert.Equal(content.Length, request.ContentLength);
        Assert.Equal("?path=~%3Aphotos%3Aphoto.jpg&label=alice%2Calice", request.RawQuery);
        Assert.Equal("Bearer tok", request.Authorization);
        Assert.Equal(Lines("~:photos:photo.jpg: blob ab12 (976.6 KiB)"), _console.Out);
    }

    [Fact]
    public async Task Put_Stdin_UploadsChunked()
    {
        _console = new TestConsole("from stdin");
        _gateway.On("POST", "/fs/blob", request => FakeGateway.Json(201, new JsonObject { ["hash"] = "cd34", ["size"] = request.Body.Length }));

        Assert.Equal(0, await Run("put", "-", "~:note", "--json"));

        Assert.Equal("from stdin", _gateway.Single("POST", "/fs/blob").BodyText);
        Assert.Equal("{\"path\":\"~:note\",\"hash\":\"cd34\",\"size\":10}", _console.Out.Trim());
    }

    [Fact]
    public async Task Put_MissingLocalFile_Exits2AndSendsNothing()
    {
        Assert.Equal(2, await Run("put", Path.Combine(_home.Path, "nope.jpg"), "~:x"));
        Assert.StartsWith("fstn: cannot read ", _console.Error, StringComparison.Ordinal);
        Assert.EndsWith($"(bad_file){Environment.NewLine}", _console.Error, StringComparison.Ordinal);
        Assert.Empty(_gateway.Requests);
    }

    [Fact]
    public async Task Write_MissingFile_CreatesItWithLabel()
    {
        _console = new TestConsole("hello\n");
        _gateway.On("PUT", "/fs/file", 404, new JsonObject { ["error"] = "no entry", ["code"] = "not_found" });
        _gateway.On("POST", "/fs/file", 201);

        Assert.Equal(0, await Run("write", "~:notes", "--label", "alice,alice"));

        var created = _gateway.Single("POST", "/fs/file");
        Assert.Equal("hello\n", created.BodyText);
        Assert.Equal("alice,alice", created.Query["label"]);
        Assert.Equal(Lines("created ~:notes (6 B)"), _console.Out);
    }

    [Fact]
    public async Task Write_ExistingFile_UpdatesIt()
    {
        _console = new TestConsole("v2");
        _gateway.On("PUT", "/fs/file", 200);

        Assert.Equal(0, await Run("write", "~:notes"));

        Assert.Equal("v2", _gateway.Single("PUT", "/fs/file").BodyText);
        Assert.DoesNotContain(_gateway.Requests, r => r.Method == "POST");
        Assert.Equal(Lines("updated ~:notes (2 B)"), _console.Out);
    }

    [Fact]
    public async Task Mkdir_SendsPathAndLabel()
    {
        _gateway.On("POST", "/fs/dir", 201);
        Assert.Equal(0, await Run("mkdir", "~:photos", "--label", "alice,alice"));
        Assert.Equal("?path=~%3Aphotos&label=alice%2Calice", _gateway.Single("POST", "/fs/dir").RawQuery);
        Assert.Equal(Lines("created directory ~:photos"), _console.Out);
    }

    [Fact]
    public async Task Mkdir_Exists_Exits1()
    {
        _gateway.On("POST", "/fs/dir", 409, new JsonObject { ["error"] = "'photos' already exists", ["code"] = "exists" });
        Assert.Equal(1, await Run("mkdir", "~:photos"));
        Assert.Equal($"fstn: 'photos' already exists (exists){Environment.NewLine}", _console.Error);
    }

    [Fact]
    public async Task Mkfaceted_Rm_Ln_SendTheirRequests()
    {
        _gateway.On("POST", "/fs/faceted", 201).On("DELETE", "/fs", 200).On("POST", "/fs/link", 201);

        Assert.Equal(0, await Run("mkfaceted", "~:shared"));
        Assert.Equal(0, await Run("rm", "~:old"));
        Assert.Equal(0, await Run("ln", "~:photos:a.jpg", "~:shared:<T,alice>:a.jpg"));

        Assert.Equal("~:shared", _gateway.Single("POST", "/fs/faceted").Query["path"]);
        Assert.Equal("~:old", _gateway.Single("DELETE", "/fs").Query["path"]);
        var link = JsonNode.Parse(_gateway.Single("POST", "/fs/link").BodyText)!;
        Assert.Equal("~:photos:a.jpg", (string?)link["source"]);
        Assert.Equal("~:shared:<T,alice>:a.jpg", (string?)link["destination"]);
        Assert.Equal(Lines("created faceted directory ~:shared", "removed ~:old", "linked ~:shared:<T,alice>:a.jpg -> ~:photos:a.jpg"), _console.Out);
    }

    [Fact]
    public async Task ServerError_NonJsonBody_ReportsStatus()
    {
        _gateway.On("DELETE", "/fs", _ => Microsoft.AspNetCore.Http.Results.Content("<html>oops</html>", "text/html", statusCode: 500));
        Assert.Equal(1, await Run("rm", "~:x"));
        Assert.Equal($"fstn: the server answered 500 InternalServerError (http_500){Environment.NewLine}", _console.Error);
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        _home.Dispose();
    }

    private static JsonObject Entry(string name, string kind) => new() { ["name"] = name, ["kind"] = kind };

    private static string Lines(params string[] lines) => string.Concat(lines.Select(l => l + Environment.NewLine));

    private void Stat(string kind, string? label) =>
        _gateway.On("GET", "/fs/stat", 200, new JsonObject { ["kind"] = kind, ["label"] = label });

    private Task<int> Run(params string[] args) => new FstnRunner(_home, _console).RunAsync(args);
}
