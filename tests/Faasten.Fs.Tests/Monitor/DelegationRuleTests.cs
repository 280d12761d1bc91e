using System.Collections.Immutable;
using Faasten.Fs.Objects;
using static Faasten.Fs.Tests.Monitor.FsHarness;

namespace Faasten.Fs.Tests.Monitor;

/// <summary>Rule 4: creating or updating a gate, service or trigger needs P ⇒ its privilege and declassify.</summary>
public sealed class DelegationRuleTests : IAsyncLifetime
{
    private FsHarness _h = null!;
    private FunctionSpec _fn = null!;

    public async Task InitializeAsync()
    {
        _h = await FsHarness.CreateAsync();
        _fn = new FunctionSpec(await _h.PutBlobAsync("image"u8.ToArray()));
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task PrivilegeLackingAlice_CannotCreateAGateWithPrivilegeAlice()
    {
        var result = await _h.Fs.CreateGateAsync(As("bob"), "home:<T,bob>:g", C("alice"), C("T"), _fn, label: L("T,bob"));

        Assert.Equal(FsStatus.PrivilegeDenied, result.Status);
        Assert.Equal(FsStatus.NotFound, (await _h.Fs.StatAsync(As("bob"), "home:<T,bob>:g")).Status);
    }

    [Fact]
    public async Task SubPrivilege_CanDelegateOnlyItsOwnPart()
    {
        var pma = As("alice/pma");
        Assert.Equal(FsStatus.PrivilegeDenied, (await _h.Fs.CreateGateAsync(pma, "home:<T,alice>:g", C("alice"), C("T"), _fn)).Status);

        var alice = As("alice");
        Assert.True((await _h.Fs.CreateGateAsync(alice, "home:<T,alice>:g", C("alice/pma"), C("alice"), _fn, label: L("T,alice"))).IsOk);
    }

    [Fact]
    public async Task Declassify_BeyondThePrivilege_IsDenied()
    {
        var result = await _h.Fs.CreateGateAsync(As("alice"), "home:<T,alice>:g", C("alice"), C("T"), _fn, declassify: C("alice&bob"), label: L("T,alice"));
        Assert.Equal(FsStatus.PrivilegeDenied, result.Status);
        Assert.Contains("declassif", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeclassifyDefaultsToThePrivilege()
    {
        Assert.True((await _h.Fs.CreateGateAsync(As("alice"), "home:<T,alice>:g", C("alice/pma"), C("T"), _fn, label: L("T,alice"))).IsOk);
        var gate = await _h.Fs.ResolveGateAsync(As("T"), "home:<T,alice>:g");
        Assert.Equal(C("alice/pma"), gate.Value!.Declassify);
    }

    [Fact]
    public async Task RedirectGateServiceAndTrigger_AllCheckDelegation()
    {
        var bob = As("bob");
        var service = new ServiceSpec("https://example.org/{x}", "get", ImmutableSortedDictionary<string, string>.Empty, L("T,T"), C("alice"), C("T"));

        Assert.Equal(FsStatus.PrivilegeDenied, (await _h.Fs.CreateRedirectGateAsync(bob, "home:<T,bob>:r", "home:<T,alice>:g", C("alice"), C("T"))).Status);
        Assert.Equal(FsStatus.PrivilegeDenied, (await _h.Fs.CreateServiceAsync(bob, "home:<T,bob>:s", service)).Status);
        Assert.Equal(FsStatus.PrivilegeDenied, (await _h.Fs.CreateTriggerAsync(bob, "home:<T,bob>:t", "secret", "home:<T,alice>:g", C("alice"), L("T,T"))).Status);
    }

    [Fact]
    public async Task UpdateGate_NeedsWriteAccessAndDelegation()
    {
        Assert.True((await _h.Fs.CreateGateAsync(As("alice"), "home:<T,alice>:g", C("alice"), C("T"), _fn, label: L("T,alice"))).IsOk);

        Assert.Equal(FsStatus.LabelDenied, (await _h.Fs.UpdateGateAsync(As("bob"), "home:<T,alice>:g", C("T"), C("T"), _fn)).Status);
        Assert.Equal(FsStatus.PrivilegeDenied, (await _h.Fs.UpdateGateAsync(As("alice"), "home:<T,alice>:g", C("alice&bob"), C("T"), _fn)).Status);
        Assert.True((await _h.Fs.UpdateGateAsync(As("alice"), "home:<T,alice>:g", C("alice/v2"), C("alice"), _fn with { MemoryMb = 256 })).IsOk);

        var gate = await _h.Fs.ResolveGateAsync(As("T"), "home:<T,alice>:g");
        Assert.Equal(C("alice/v2"), gate.Value!.Privilege);
        Assert.Equal(256, gate.Value.Function.MemoryMb);
    }

    [Fact]
    public async Task Gate_WithAnImageThatIsNoBlobHash_IsBadRequest_AndAMissingImagePathIsNotFound()
    {
        var result = await _h.Fs.CreateGateAsync(As("alice"), "home:<T,alice>:g", C("alice"), C("T"), new FunctionSpec("../image"), label: L("T,alice"));
        Assert.Equal(FsStatus.BadRequest, result.Status);
        Assert.Equal(FsStatus.NotFound, (await _h.Fs.ResolveImageAsync(As("alice"), "~:images:missing.img")).Status);
    }

    [Fact]
    public async Task Service_CannotBeReadAsAFile_ButOpensForTheKernel()
    {
        var spec = new ServiceSpec("https://example.org/{x}", "post", ImmutableSortedDictionary<string, string>.Empty.Add("Authorization", "token"), L("alice,T"), C("alice"), C("alice"));
        Assert.True((await _h.Fs.CreateServiceAsync(As("alice"), "home:<T,alice>:api", spec, L("T,alice"))).IsOk);

        Assert.Equal(FsStatus.WrongKind, (await _h.Fs.ReadFileAsync(As("bob"), "home:<T,alice>:api")).Status);
        var opened = await _h.Fs.OpenServiceAsync(As("alice"), "home:<T,alice>:api");
        Assert.Equal("POST", opened.Value!.Verb);
        Assert.Equal("token", opened.Value.Headers["Authorization"]);
    }
}
