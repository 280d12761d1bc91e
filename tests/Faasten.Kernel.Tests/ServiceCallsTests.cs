using System.Collections.Immutable;
using Faasten.Fs;
using Faasten.Kernel;
using Faasten.Protocol.V1;
using Faasten.Tests.Common.Http;
using Google.Protobuf;
using static Faasten.Kernel.Tests.KernelAssert;
using static Faasten.Kernel.Tests.KernelHarness;

namespace Faasten.Kernel.Tests;

public sealed class ServiceCallsTests : IAsyncLifetime
{
    private const string Api = "home:<alice,alice>:api";
    private readonly LoopbackHttpServer _server = new();
    private KernelHarness _h = null!;

    public async Task InitializeAsync()
    {
        _h = await CreateAsync();
        await CreateServiceAsync(Api, $"{_server.BaseUrl}/photos/{{id}}?size={{size}}", taint: "alice,T");
    }

    public async Task DisposeAsync()
    {
        _server.Dispose();
        await _h.DisposeAsync();
    }

    private Task CreateServiceAsync(string path, string url, string taint, string privilege = "alice", string clearance = "alice") =>
        Ok(_h.Fs.CreateServiceAsync(
            Super(),
            path,
            new ServiceSpec(url, "POST", ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [new KeyValuePair<string, string>("Authorization", "Bearer s3cret"), new("Content-Type", "application/json")]), L(taint), C(privilege), C(clearance)),
            L("alice,alice")));

    private static CloudCallRequest Call(string path = Api, string id = "a b/c", string? size = "64") =>
        new() { InvokeService = new() { Path = path, Body = ByteString.CopyFromUtf8("""{"q": 1}"""), Params = { size is null ? new Dictionary<string, string> { ["id"] = id } : new Dictionary<string, string> { ["id"] = id, ["size"] = size } } } };

    [Fact]
    public async Task Allowed_SendsVerbHeadersBodyAndEscapedParams_ReturnsResponse_TaintsCaller()
    {
        var alice = _h.Kernel("alice");
        var reply = (await OkAsync(alice, Call())).InvokeService;

        Assert.Equal(200u, reply.Status);
        Assert.Equal("hello from the service", reply.Body.ToStringUtf8());
        Assert.Equal("yes", reply.Headers["x-test"]);
        var request = Assert.Single(_server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/photos/a%20b%2Fc?size=64", request.Url);
        Assert.Equal("Bearer s3cret", request.Headers["Authorization"]);
        Assert.Equal("application/json", request.Headers["Content-Type"]);
        Assert.Equal("""{"q": 1}""", System.Text.Encoding.UTF8.GetString(request.Body));
        Assert.Equal("alice,T", await LabelAsync(alice));
    }

    [Fact]
    public async Task ErrorStatus_IsAResponseNotAFailure()
    {
        _server.Status = 503;
        Assert.Equal(503u, (await OkAsync(_h.Kernel("alice"), Call())).InvokeService.Status);
    }

    [Fact]
    public async Task PrivilegeNotImplyingClearance_PrivilegeDenied_NothingSent()
    {
        await FailsAsync(_h.Kernel("bob"), Call(), CloudCallErrorCode.PrivilegeDenied);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task CallerLabelNotFlowingToTaint_LabelDenied_NothingSent()
    {
        var alice = _h.Kernel("alice");
        await OkAsync(alice, new() { TaintWithLabel = new() { Label = "bob,T" } });
        var error = await FailsAsync(alice, Call(), CloudCallErrorCode.LabelDenied);
        Assert.DoesNotContain("s3cret", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_server.BaseUrl, error.Message, StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task ServicePrivilege_LetsTheCallerDeclassifyIntoIt()
    {
        // Sending alice's data to a public service needs alice's authority: the caller
        // (alice/pma) lacks it, the service's privilege supplies it.
        await CreateServiceAsync("home:<alice,alice>:public", $"{_server.BaseUrl}/p", taint: "T,T", privilege: "alice", clearance: "alice/pma");
        var caller = _h.Kernel("alice/pma", "alice,T");
        await OkAsync(caller, Call("home:<alice,alice>:public"));
        Assert.Single(_server.Requests);
    }

    [Theory]
    [InlineData("..")]
    [InlineData(".")]
    public async Task DotSegmentParam_ClimbingOutOfTheTemplatesPath_BadRequest_NothingSent(string name)
    {
        // Bob's function calls alice's /api/{name} service hoping to reach the server's root.
        const string service = "home:<alice,alice>:scoped";
        await CreateServiceAsync(service, $"{_server.BaseUrl}/api/{{name}}", taint: "alice,T");

        var error = await FailsAsync(_h.Kernel("alice"), Params(service, ("name", name)), CloudCallErrorCode.BadRequest);

        Assert.Contains("may not be empty, '.' or '..'", error.Message, StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
    }

    [Theory]
    [InlineData("../admin", "/api/..%2Fadmin")]
    [InlineData("%2e%2e", "/api/%252e%252e")]
    [InlineData("x?admin=1#frag", "/api/x%3Fadmin%3D1%23frag")]
    [InlineData(@"..\admin", "/api/..%5Cadmin")]
    public async Task PathTricksInAParam_StayOneSegment_AsTheServerReceivesThem(string name, string received)
    {
        const string service = "home:<alice,alice>:scoped";
        await CreateServiceAsync(service, $"{_server.BaseUrl}/api/{{name}}", taint: "alice,T");

        await OkAsync(_h.Kernel("alice"), Params(service, ("name", name)));

        Assert.Equal(received, Assert.Single(_server.Requests).Url);
    }

    private static CloudCallRequest Params(string path, params (string Name, string Value)[] values)
    {
        var call = new InvokeService { Path = path };
        foreach (var (name, value) in values)
        {
            call.Params[name] = value;
        }
        return new() { InvokeService = call };
    }

    [Fact]
    public async Task MissingParam_BadRequest_NothingSent()
    {
        var error = await FailsAsync(_h.Kernel("alice"), Call(size: null), CloudCallErrorCode.BadRequest);
        Assert.Contains("size", error.Message, StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task Unreachable_ServiceFailed_StillTaints()
    {
        var closed = new LoopbackHttpServer();
        var url = closed.BaseUrl;
        closed.Dispose();
        await CreateServiceAsync("home:<alice,alice>:down", url, taint: "carol,T");
        var alice = _h.Kernel("alice");
        var error = await FailsAsync(alice, Call("home:<alice,alice>:down"), CloudCallErrorCode.ServiceFailed);
        Assert.DoesNotContain(url, error.Message, StringComparison.Ordinal);
        Assert.Equal("alice&carol,T", await LabelAsync(alice));
    }

    [Fact]
    public async Task ResponseLargerThanTheCap_TooLarge()
    {
        _server.Body = new byte[4096];
        await FailsAsync(_h.Kernel("alice", options: new CloudCallKernelOptions { MaxServiceResponseBytes = 1000 }), Call(), CloudCallErrorCode.TooLarge);
    }

    [Fact]
    public async Task SlowService_Timeout()
    {
        _server.Delay = TimeSpan.FromSeconds(10);
        await FailsAsync(_h.Kernel("alice", options: new CloudCallKernelOptions { ServiceTimeout = TimeSpan.FromMilliseconds(200) }), Call(), CloudCallErrorCode.Timeout);
    }

    [Fact]
    public async Task NotAService_WrongKind_AndMissing_NotFound()
    {
        await FailsAsync(_h.Kernel("alice"), Call("home:<alice,alice>"), CloudCallErrorCode.WrongKind);
        await FailsAsync(_h.Kernel("alice"), Call("home:<alice,alice>:nope"), CloudCallErrorCode.NotFound);
    }
}
