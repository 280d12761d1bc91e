using Faasten.Fs;
using Faasten.Fs.Objects;
using Faasten.Protocol.V1;
using static Faasten.Kernel.Tests.KernelAssert;
using static Faasten.Kernel.Tests.KernelHarness;

namespace Faasten.Kernel.Tests;

public sealed class CapabilityCallsTests : IAsyncLifetime
{
    private const string AliceHome = "home:<alice,alice>";
    private const string ImagePath = "home:<T,alice>:app.img";
    private KernelHarness _h = null!;
    private string _image = null!;

    public async Task InitializeAsync()
    {
        _h = await CreateAsync();
        _image = await _h.PutBlobAsync("image"u8.ToArray());
        await Ok(_h.Fs.LinkBlobAsync(Super(), ImagePath, _image, L("T,alice")));
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private FsCreateGate Gate(string name, string privilege = "alice/thumb", string clearance = "alice") =>
        new() { Path = $"{AliceHome}:{name}", ImageBlob = ImagePath, Privilege = privilege, Clearance = clearance };

    [Fact]
    public async Task CreateGate_Allowed_StoresGateWithDefaults()
    {
        await OkAsync(_h.Kernel("alice"), new() { FsCreateGate = Gate("thumb") });
        var gate = await _h.Fs.ResolveGateAsync(Super(), $"{AliceHome}:thumb");
        Assert.True(gate.IsOk);
        Assert.Equal(C("alice/thumb"), gate.Value!.Privilege);
        Assert.Equal(C("alice/thumb"), gate.Value.Declassify);
        Assert.Equal(new FunctionSpec(_image), gate.Value.Function);
    }

    [Fact]
    public async Task CreateGate_ExplicitFields_AreStored()
    {
        var call = Gate("thumb");
        call.MemoryMb = 256;
        call.TimeoutMs = 5000;
        call.Runtime = "python3";
        call.Declassify = "T";
        await OkAsync(_h.Kernel("alice"), new() { FsCreateGate = call });
        var gate = (await _h.Fs.ResolveGateAsync(Super(), $"{AliceHome}:thumb")).Value!;
        Assert.Equal(new FunctionSpec(_image, "python3", 256, 5000), gate.Function);
        Assert.Equal(C("T"), gate.Declassify);
    }

    [Fact]
    public async Task CreateGate_UnknownRuntime_BadRequestNamingIt()
    {
        var call = Gate("node");
        call.Runtime = "node20";
        var error = await FailsAsync(_h.Kernel("alice"), new() { FsCreateGate = call }, CloudCallErrorCode.BadRequest);
        Assert.Equal("unknown runtime in 'runtime': 'node20'; known runtimes: python3", error.Message);
    }

    [Fact]
    public async Task CreateGate_DelegatingAuthorityTheCallerLacks_PrivilegeDenied()
    {
        await FailsAsync(_h.Kernel("alice"), new() { FsCreateGate = Gate("g", privilege: "bob") }, CloudCallErrorCode.PrivilegeDenied);
        var declassify = Gate("g2");
        declassify.Declassify = "bob";
        await FailsAsync(_h.Kernel("alice"), new() { FsCreateGate = declassify }, CloudCallErrorCode.PrivilegeDenied);
    }

    [Fact]
    public async Task CreateGate_MissingImage_NotFound()
    {
        var call = Gate("g");
        call.ImageBlob = $"{AliceHome}:no-such.img";
        await FailsAsync(_h.Kernel("alice"), new() { FsCreateGate = call }, CloudCallErrorCode.NotFound);
    }

    /// <summary>Issue 12 item 2: a gate over an image named by a hash the function did not create is refused like a missing one.</summary>
    [Fact]
    public async Task Attack_CreateGate_WithSomeoneElsesImageHash_IsNotFound()
    {
        var call = Gate("g");
        call.ImageBlob = _image;
        await FailsAsync(_h.Kernel("alice"), new() { FsCreateGate = call }, CloudCallErrorCode.NotFound);
    }

    [Fact]
    public async Task CreateGate_WithAnImageThisInvocationCreated_ByHash()
    {
        var alice = _h.Kernel("alice");
        var handle = (await OkAsync(alice, new() { BlobCreate = new() })).BlobCreate.Handle;
        var hash = (await OkAsync(alice, new() { BlobFinalize = new() { Handle = handle, Data = Google.Protobuf.ByteString.CopyFromUtf8("built here") } })).BlobFinalize.Hash;
        var call = Gate("built");
        call.ImageBlob = hash;

        await OkAsync(alice, new() { FsCreateGate = call });

        Assert.Equal(hash, (await _h.Fs.ResolveGateAsync(Super(), $"{AliceHome}:built")).Value!.Function.ImageHash);
    }

    [Fact]
    public async Task CreateGate_ImageByPath_TaintsTheCreator()
    {
        var hash = await _h.PutBlobAsync("secret image"u8.ToArray());
        await Ok(_h.Fs.LinkBlobAsync(Super(), $"{AliceHome}:secret.img", hash, L("alice,alice")));
        var alice = _h.Kernel("alice");
        var call = Gate("g");
        call.ImageBlob = $"{AliceHome}:secret.img";

        // The gate is created in alice's private facet either way; the image's read shows in the label.
        await OkAsync(alice, new() { FsCreateGate = call });
        Assert.Equal("alice,T", await LabelAsync(alice));
    }

    [Fact]
    public async Task CreateGate_MalformedClearance_BadLabel() =>
        await FailsAsync(_h.Kernel("alice"), new() { FsCreateGate = Gate("g", clearance: "alice|") }, CloudCallErrorCode.BadLabel);

    [Fact]
    public async Task CreateGate_InOthersDirectory_LabelDenied() =>
        await FailsAsync(_h.Kernel("bob"), new() { FsCreateGate = Gate("g", privilege: "bob", clearance: "bob") }, CloudCallErrorCode.LabelDenied);

    [Fact]
    public async Task CreateGate_AbsurdMemory_BadRequest()
    {
        var call = Gate("g");
        call.MemoryMb = 1_000_000;
        await FailsAsync(_h.Kernel("alice"), new() { FsCreateGate = call }, CloudCallErrorCode.BadRequest);
    }

    [Fact]
    public async Task CreateRedirectGate_AllowedAndDenied()
    {
        var alice = _h.Kernel("alice");
        await OkAsync(alice, new() { FsCreateGate = Gate("thumb") });
        await OkAsync(alice, new() { FsCreateRedirectGate = new() { Path = $"{AliceHome}:alias", Target = $"{AliceHome}:thumb", Privilege = "alice/thumb", Clearance = "T" } });
        Assert.True((await _h.Fs.ResolveGateAsync(Super(), $"{AliceHome}:alias")).IsOk);

        await FailsAsync(alice, new() { FsCreateRedirectGate = new() { Path = $"{AliceHome}:a2", Target = $"{AliceHome}:thumb", Privilege = "bob", Clearance = "T" } }, CloudCallErrorCode.PrivilegeDenied);
        await FailsAsync(alice, new() { FsCreateRedirectGate = new() { Path = $"{AliceHome}:a3", Target = "x::y", Privilege = "alice", Clearance = "T" } }, CloudCallErrorCode.BadPath);
        await FailsAsync(alice, new() { FsCreateRedirectGate = new() { Path = $"{AliceHome}:a4", Target = "x", Privilege = "&", Clearance = "T" } }, CloudCallErrorCode.BadLabel);
    }

    private static FsCreateService Service(string privilege = "alice") => new()
    {
        Path = $"{AliceHome}:api",
        Url = "http://127.0.0.1:1/{id}",
        Verb = "post",
        Taint = "alice,T",
        Privilege = privilege,
        Clearance = "alice",
        Headers = { ["Authorization"] = "Bearer secret" },
    };

    [Fact]
    public async Task CreateService_Allowed()
    {
        await OkAsync(_h.Kernel("alice"), new() { FsCreateService = Service() });
        var service = (await _h.Fs.OpenServiceAsync(Super(), $"{AliceHome}:api")).Value!;
        Assert.Equal(("POST", "Bearer secret", L("alice,T")), (service.Verb, service.Headers["Authorization"], service.Taint));
    }

    /// <summary>Issue 12 item 1, as the attack: bob's service claims alice's secrecy as its taint.</summary>
    [Fact]
    public async Task Attack_CreateService_WithATaintTheCreatorCannotDeclassify_PrivilegeDenied()
    {
        var bob = _h.Kernel("bob");
        var exfil = Service(privilege: "bob");
        exfil.Path = "home:<T,bob>:exfil";
        exfil.Clearance = "T";
        await FailsAsync(bob, new() { FsCreateService = exfil }, CloudCallErrorCode.PrivilegeDenied);
        Assert.Equal(FsStatus.NotFound, (await _h.Fs.StatAsync(Super(), "home:<T,bob>:exfil")).Status);
    }

    [Fact]
    public async Task CreateService_DelegatingPrivilegeTheCallerLacks_PrivilegeDenied() =>
        await FailsAsync(_h.Kernel("alice"), new() { FsCreateService = Service(privilege: "bob") }, CloudCallErrorCode.PrivilegeDenied);

    [Fact]
    public async Task CreateService_BadUrlOrVerbOrTaint_Refused()
    {
        var alice = _h.Kernel("alice");
        var badUrl = Service();
        badUrl.Url = "file:///etc/passwd";
        await FailsAsync(alice, new() { FsCreateService = badUrl }, CloudCallErrorCode.BadRequest);
        var badVerb = Service();
        badVerb.Verb = "GET /x HTTP/1.1\r\n";
        await FailsAsync(alice, new() { FsCreateService = badVerb }, CloudCallErrorCode.BadRequest);
        var badTaint = Service();
        badTaint.Taint = "alice";
        await FailsAsync(alice, new() { FsCreateService = badTaint }, CloudCallErrorCode.BadLabel);
        var badHeader = Service();
        badHeader.Headers["X-Trace"] = "1\r\nX-Injected: yes";
        await FailsAsync(alice, new() { FsCreateService = badHeader }, CloudCallErrorCode.BadRequest);
    }
}
