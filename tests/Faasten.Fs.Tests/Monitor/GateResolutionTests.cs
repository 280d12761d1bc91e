using Faasten.Fs.Objects;
using static Faasten.Fs.Tests.Monitor.FsHarness;

namespace Faasten.Fs.Tests.Monitor;

public sealed class GateResolutionTests : IAsyncLifetime
{
    private FsHarness _h = null!;
    private FunctionSpec _fn = null!;

    public async Task InitializeAsync()
    {
        _h = await FsHarness.CreateAsync();
        _fn = new FunctionSpec(await _h.PutBlobAsync("image"u8.ToArray()), MemoryMb: 64);
        Assert.True((await _h.Fs.CreateGateAsync(As("alice"), "home:<T,alice>:thumb", C("alice/thumb"), C("alice"), _fn, label: L("T,alice"))).IsOk);
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task DirectGate_TaintsWithItsLabelAndTheDirectories()
    {
        var ctx = As("T", "bob,T");
        var gate = await _h.Fs.ResolveGateAsync(ctx, "home:<T,alice>:thumb");

        Assert.True(gate.IsOk);
        Assert.Equal(_fn, gate.Value!.Function);
        Assert.Equal(C("alice/thumb"), gate.Value.Privilege);
        Assert.Equal(L("bob,T"), ctx.Label);
    }

    [Fact]
    public async Task RedirectChain_ConjoinsPrivilegesClearancesAndDeclassify()
    {
        Assert.True((await _h.Fs.CreateRedirectGateAsync(As("bob"), "home:<T,bob>:r1", "home:<T,alice>:thumb", C("bob/app"), C("bob"), label: L("T,bob"))).IsOk);
        Assert.True((await _h.Fs.CreateDirectoryAsync(As("bob"), "~:private", L("bob,bob"))).IsOk);
        Assert.True((await _h.Fs.CreateRedirectGateAsync(As("bob"), "~:private:r2", "home:<T,bob>:r1", C("bob/app/x"), C("bob/ops"), C("bob"), L("bob,bob"))).IsOk);

        var ctx = As("T");
        var gate = await _h.Fs.ResolveGateAsync(ctx, "home:<bob,bob>:private:r2");

        Assert.True(gate.IsOk, gate.ToString());
        Assert.Equal(C("alice/thumb&bob/app"), gate.Value!.Privilege);
        Assert.Equal(C("alice&bob&bob/ops"), gate.Value.Clearance);
        Assert.Equal(C("alice/thumb&bob"), gate.Value.Declassify);
        Assert.Equal("bob", ctx.Label.Secrecy.ToString());
        Assert.Equal(_fn, gate.Value.Function);
    }

    [Fact]
    public async Task RedirectCycle_IsAnErrorNotAHang()
    {
        Assert.True((await _h.Fs.CreateRedirectGateAsync(As("bob"), "home:<T,bob>:a", "home:<T,bob>:b", C("bob"), C("T"), label: L("T,bob"))).IsOk);
        Assert.True((await _h.Fs.CreateRedirectGateAsync(As("bob"), "home:<T,bob>:b", "home:<T,bob>:a", C("bob"), C("T"), label: L("T,bob"))).IsOk);

        var result = await _h.Fs.ResolveGateAsync(As("T"), "home:<T,bob>:a");

        Assert.Equal(FsStatus.BadRequest, result.Status);
        Assert.Contains("redirects", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResolvingANonGate_IsWrongKind()
    {
        Assert.True((await _h.Fs.CreateFileAsync(As("alice"), "home:<T,alice>:f", L("T,alice"))).IsOk);
        Assert.Equal(FsStatus.WrongKind, (await _h.Fs.ResolveGateAsync(As("T"), "home:<T,alice>:f")).Status);
        Assert.Equal(FsStatus.NotFound, (await _h.Fs.ResolveGateAsync(As("T"), "home:<T,alice>:none")).Status);
    }
}
