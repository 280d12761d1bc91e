using System.Text.Json.Nodes;
using Faasten.Cli.Tests.Support;

namespace Faasten.Cli.Tests.Commands;

public sealed class InvokeCommandTests : IAsyncLifetime
{
    private readonly TempHome _home = new();
    private FakeGateway _gateway = null!;
    private TestConsole _console = new();

    public async Task InitializeAsync()
    {
        _gateway = await FakeGateway.StartAsync();
        _home.Variables["FSTN_SERVER"] = _gateway.Address;
        _gateway.On("POST", "/invoke", request =>
        {
            var body = JsonNode.Parse(request.BodyText)!;
            return (bool?)body["sync"] == false
                ? FakeGateway.Json(202, new JsonObject { ["id"] = "inv-1" })
                : FakeGateway.Json(200, new JsonObject { ["echo"] = body["payload"]?.DeepClone() }, label: "alice,T");
        });
    }

    [Fact]
    public async Task Invoke_PayloadArgument_PrintsIndentedResult()
    {
        Assert.Equal(0, await Run("invoke", "~:echo", "{\"sizes\": [[128, 128]]}", "--label", "alice,alice"));

        var body = JsonNode.Parse(_gateway.Single("POST", "/invoke").BodyText)!;
        Assert.Equal("~:echo", (string?)body["path"]);
        Assert.Equal(128, (int?)body["payload"]!["sizes"]![0]![0]);
        Assert.Equal("alice,alice", (string?)body["label"]);
        Assert.True((bool?)body["sync"]);
        Assert.StartsWith("{" + Environment.NewLine + "  \"echo\": {", _console.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_PayloadOnStdin_IsSent()
    {
        _console = new TestConsole("{\"n\": 1}");

        Assert.Equal(0, await Run("invoke", "~:echo", "--json"));

        var printed = JsonNode.Parse(_console.Out)!;
        Assert.Equal(1, (int?)printed["result"]!["echo"]!["n"]);
        Assert.Equal("alice,T", (string?)printed["label"]);
    }

    [Fact]
    public async Task Invoke_NoPayloadOnTerminal_SendsNull()
    {
        _console = new TestConsole(inputRedirected: false);

        Assert.Equal(0, await Run("invoke", "~:echo"));

        Assert.Contains("\"payload\":null", _gateway.Single("POST", "/invoke").BodyText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_BadJson_Exits2AndSendsNothing()
    {
        Assert.Equal(2, await Run("invoke", "~:echo", "{\"a\":"));
        Assert.StartsWith("fstn: the payload is not valid JSON: ", _console.Error, StringComparison.Ordinal);
        Assert.Empty(_gateway.Requests);
    }

    [Fact]
    public async Task Invoke_Async_PrintsIdAndResultFetchesIt()
    {
        var polls = 0;
        _gateway.On("GET", "/invocations/inv-1", _ => ++polls < 3
            ? FakeGateway.Json(202, new JsonObject { ["status"] = "pending" })
            : FakeGateway.Json(200, new JsonObject { ["done"] = true }));

        Assert.Equal(0, await Run("invoke", "~:echo", "{}", "--async"));
        Assert.Equal($"submitted invocation inv-1; fetch its result with: fstn result inv-1{Environment.NewLine}", _console.Out);

        _console = new TestConsole();
        Assert.Equal(0, await Run("result", "inv-1"));
        Assert.Equal(3, polls);
        Assert.Contains("\"done\": true", _console.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Result_NoWait_PrintsPending()
    {
        _gateway.On("GET", "/invocations/inv-2", 202, new JsonObject { ["status"] = "pending" });
        Assert.Equal(0, await Run("result", "inv-2", "--no-wait", "--json"));
        Assert.Equal("{\"status\":\"pending\"}", _console.Out.Trim());
    }

    [Fact]
    public async Task Invoke_FunctionError_Exits1WithSummaryAndIndentedTraceback()
    {
        _gateway.On("POST", "/invoke", 502, new JsonObject
        {
            ["error"] = "function raised KeyError: 'input'\nTraceback (most recent call last):\n  File \"workload.py\", line 4",
            ["code"] = "function_error",
        });

        Assert.Equal(1, await Run("invoke", "~:gen-thumb", "{}"));

        Assert.Equal(
            string.Join(Environment.NewLine, "fstn: function raised KeyError: 'input' (function_error)", "  Traceback (most recent call last):", "    File \"workload.py\", line 4", string.Empty),
            _console.Error);
    }

    [Fact]
    public async Task Invoke_RuntimeErrorJson_PrintsTypeMessageAndTraceback()
    {
        var runtimeError = new JsonObject
        {
            ["error"] = "KeyError",
            ["message"] = "'input'",
            ["traceback"] = "Traceback (most recent call last):\n  File \"/srv/workload.py\", line 11, in handle\nKeyError: 'input'\n",
        };
        _gateway.On("POST", "/invoke", 502, new JsonObject { ["error"] = runtimeError.ToJsonString(), ["code"] = "function_error" });

        Assert.Equal(1, await Run("invoke", "~:gen-thumb", "{}"));

        Assert.Equal(
            string.Join(
                Environment.NewLine,
                "fstn: KeyError: 'input' (function_error)",
                "  Traceback (most recent call last):",
                "    File \"/srv/workload.py\", line 11, in handle",
                "  KeyError: 'input'",
                string.Empty),
            _console.Error);
    }

    [Fact]
    public async Task Invoke_RuntimeErrorJsonWithJsonOption_KeepsTracebackAsDetail()
    {
        var runtimeError = new JsonObject { ["error"] = "ValueError", ["message"] = "bad", ["traceback"] = "Traceback\n" };
        _gateway.On("POST", "/invoke", 502, new JsonObject { ["error"] = runtimeError.ToJsonString(), ["code"] = "function_error" });

        Assert.Equal(1, await Run("invoke", "~:f", "{}", "--json"));

        var printed = JsonNode.Parse(_console.Error)!;
        Assert.Equal("ValueError: bad", (string?)printed["error"]);
        Assert.Equal("Traceback\n", (string?)printed["detail"]);
    }

    [Theory]
    [InlineData(403, "forbidden", 1)]
    [InlineData(429, "queue_full", 1)]
    [InlineData(504, "timeout", 1)]
    [InlineData(400, "bad_path", 2)]
    public async Task Invoke_ServerRefusal_MapsToExitCode(int status, string code, int exit)
    {
        _gateway.On("POST", "/invoke", status, new JsonObject { ["error"] = "refused", ["code"] = code });
        Assert.Equal(exit, await Run("invoke", "~:f", "{}"));
        Assert.Equal($"fstn: refused ({code}){Environment.NewLine}", _console.Error);
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        _home.Dispose();
    }

    private Task<int> Run(params string[] args) => new FstnRunner(_home, _console).RunAsync(args);
}
