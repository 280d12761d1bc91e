using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using Faasten.Fs.Objects;
using static Faasten.Fs.Tests.Monitor.FsHarness;

namespace Faasten.Fs.Tests.Monitor;

/// <summary>
/// Issue 12's leaks at the monitor, each written as the attack: bob's code runs for alice (her
/// label, his gate's privilege) and tries to leave something bob can observe afterwards.
/// </summary>
public sealed class ChannelAttackTests : IAsyncLifetime
{
    private FsHarness _h = null!;

    public async Task InitializeAsync() => _h = await FsHarness.CreateAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private static ServiceSpec Service(string taint, string privilege = "bob", string verb = "POST", ImmutableSortedDictionary<string, string>? headers = null) =>
        new("http://127.0.0.1:9/collect/{name}", verb, headers ?? ImmutableSortedDictionary<string, string>.Empty, L(taint), C(privilege), C("T"));

    // Item 1: a service's taint is a declassification to an outside endpoint.
    [Fact]
    public async Task Attack_BobCannotCreateAServiceTaintedWithAlicesSecrecy()
    {
        var result = await _h.Fs.CreateServiceAsync(As("bob"), "home:<T,bob>:exfil", Service("alice,T"), L("T,bob"));

        Assert.Equal(FsStatus.PrivilegeDenied, result.Status);
        Assert.Contains("taint secrecy", result.Message, StringComparison.Ordinal);
        Assert.Equal(FsStatus.NotFound, (await _h.Fs.StatAsync(As("bob"), "home:<T,bob>:exfil")).Status);
    }

    [Theory]
    [InlineData("bob,T")]
    [InlineData("T,T")]
    [InlineData("bob/app,T")]
    public async Task AServiceTaintedWithItsCreatorsOwnSecrecy_IsAllowed(string taint)
    {
        Assert.True((await _h.Fs.CreateServiceAsync(As("bob"), "home:<T,bob>:svc", Service(taint), L("T,bob"))).IsOk);
    }

    [Fact]
    public async Task AServiceTaintedWithTwoOwnersSecrecy_NeedsBoth()
    {
        Assert.Equal(FsStatus.PrivilegeDenied, (await _h.Fs.CreateServiceAsync(As("bob"), "home:<T,bob>:svc", Service("alice&bob,T"), L("T,bob"))).Status);
        Assert.True((await _h.Fs.CreateServiceAsync(As("alice&bob"), "home:<T,bob>:svc", Service("alice&bob,T"), L("T,bob"))).IsOk);
    }

    [Theory]
    [InlineData("GET\r\nX-Injected: 1", null, null)]
    [InlineData("", null, null)]
    [InlineData("G3T", null, null)]
    [InlineData("POST", "X-Bad Name", "v")]
    [InlineData("POST", "X-Ok", "v\r\nX-Injected: 1")]
    [InlineData("POST", "X-Ok", "nul\0byte")]
    public async Task ABadVerbOrHeader_IsRefusedAtCreation(string verb, string? header, string? value)
    {
        var headers = header is null ? null : ImmutableSortedDictionary<string, string>.Empty.Add(header, value!);

        var result = await _h.Fs.CreateServiceAsync(As("bob"), "home:<T,bob>:svc", Service("bob,T", verb: verb, headers: headers), L("T,bob"));

        Assert.Equal(FsStatus.BadRequest, result.Status);
        Assert.Equal(FsStatus.NotFound, (await _h.Fs.StatAsync(As("bob"), "home:<T,bob>:svc")).Status);
    }

    [Fact]
    public async Task AServiceUrlWithAPlaceholderInItsHost_IsRefused()
    {
        var spec = Service("bob,T") with { UrlTemplate = "http://{host}/x" };

        Assert.Equal(FsStatus.BadRequest, (await _h.Fs.CreateServiceAsync(As("bob"), "home:<T,bob>:svc", spec, L("T,bob"))).Status);
    }

    // Item 2: a gate's image and a linked blob are named by path, read under rule 1.
    [Fact]
    public async Task Attack_BobCannotLinkAlicesBlobByPath_WithoutItsLabelFollowing()
    {
        var alice = As("alice");
        var hash = await _h.PutBlobAsync("vote=yes"u8.ToArray());
        Assert.True((await _h.Fs.LinkBlobAsync(alice, "~:vote", hash, L("alice,alice"))).IsOk);

        // Bob's computation may name her entry, but reading it taints him with alice, so the
        // public entry he wants is a write down his privilege does not allow.
        var bob = As("bob");
        var linked = await _h.Fs.LinkBlobEntryAsync(bob, "home:<T,bob>:loot", "home:<alice,alice>:vote", L("T,bob"));

        Assert.Equal(FsStatus.LabelDenied, linked.Status);
        Assert.Equal(C("alice"), bob.Label.Secrecy);
        Assert.Equal(FsStatus.NotFound, (await _h.Fs.StatAsync(As("bob"), "home:<T,bob>:loot")).Status);
    }

    [Fact]
    public async Task LinkBlobEntry_RelabelsWithinWhatTheReaderMayWrite()
    {
        var alice = As("alice");
        var hash = await _h.PutBlobAsync("photo"u8.ToArray());
        Assert.True((await _h.Fs.LinkBlobAsync(alice, "~:photo", hash, L("alice,alice"))).IsOk);

        var sharing = As("alice");
        Assert.True((await _h.Fs.LinkBlobEntryAsync(sharing, "home:<alice|bob,alice>:photo", "~:photo", L("alice|bob,alice"))).IsOk);

        var bob = As("bob");
        var opened = await _h.Fs.OpenBlobAsync(bob, "home:<alice|bob,alice>:photo");
        Assert.True(opened.IsOk);
        Assert.Equal(hash, opened.Value.Hash);
    }

    [Fact]
    public async Task Attack_AGateImageIsResolvedByPath_AndTaintsTheCreator()
    {
        var hash = await _h.PutBlobAsync("alice's function"u8.ToArray());
        Assert.True((await _h.Fs.LinkBlobAsync(As("alice"), "~:app.img", hash, L("alice,alice"))).IsOk);

        // A hash is not accepted as a path: there is no entry by that name, whatever the store holds.
        var bob = As("bob");
        var byHash = await _h.Fs.ResolveImageAsync(bob, hash);
        Assert.Equal(FsStatus.NotFound, byHash.Status);
        Assert.Equal(FsStatus.NotFound, (await _h.Fs.ResolveImageAsync(As("bob"), new string('0', 64))).Status);
        Assert.Equal(byHash.Message!.Replace(hash, "", StringComparison.Ordinal), (await _h.Fs.ResolveImageAsync(As("bob"), new string('0', 64))).Message!.Replace(new string('0', 64), "", StringComparison.Ordinal));

        // By path, the read taints bob with alice: a public gate would be a write down.
        var image = await _h.Fs.ResolveImageAsync(bob, "home:<alice,alice>:app.img");
        Assert.True(image.IsOk);
        Assert.Equal(C("alice"), bob.Label.Secrecy);
        var gate = await _h.Fs.CreateGateAsync(bob, "home:<T,bob>:stolen", C("bob"), C("T"), new FunctionSpec(image.Value!), label: L("T,bob"));
        Assert.Equal(FsStatus.LabelDenied, gate.Status);
    }

    [Fact]
    public async Task Attack_ProbingForContentByHash_LearnsNothing()
    {
        // alice's private vote is in the blob store; bob probes for both possible contents.
        var alice = As("alice");
        var hash = await _h.PutBlobAsync("vote=yes"u8.ToArray());
        Assert.True((await _h.Fs.LinkBlobAsync(alice, "~:vote", hash, L("alice,alice"))).IsOk);

        var yes = Convert.ToHexStringLower(SHA256.HashData("vote=yes"u8));
        var no = Convert.ToHexStringLower(SHA256.HashData("vote=no"u8));
        var probes = new List<string>();
        foreach (var candidate in new[] { yes, no })
        {
            var bob = As("bob");
            var asImage = await _h.Fs.ResolveImageAsync(bob, candidate);
            var asLink = await _h.Fs.LinkBlobEntryAsync(bob, "home:<T,bob>:probe", candidate, L("T,bob"));
            probes.Add($"{asImage.Status} {asImage.Message?.Replace(candidate, "H", StringComparison.Ordinal)} | {asLink.Status} {asLink.Message?.Replace(candidate, "H", StringComparison.Ordinal)} | {bob.Label}");
        }

        Assert.Equal(probes[0], probes[1]);
    }

    // Item 3: whether a facet was ever written is invisible.
    [Fact]
    public async Task Attack_HardLinkingAFacet_AnswersAlikeForWrittenAndUnwrittenFacets()
    {
        // Bob's app (run by alice) materialized <alice,bob/b1> for a 1-bit; <alice,bob/b0> stays unwritten.
        Assert.True((await _h.Fs.CreateFacetAsync(As("alice&bob"), "home:<alice,bob/b1>")).IsOk);
        Assert.True((await _h.Fs.CreateDirectoryAsync(As("bob"), "home:<T,bob>:probe", L("T,bob"))).IsOk);

        var answers = new List<string>();
        foreach (var facet in new[] { "home:<alice,bob/b1>", "home:<alice,bob/b0>" })
        {
            foreach (var destination in new[] { "home:<T,bob>:probe", "home:<T,bob>:fresh" })
            {
                var bob = As("bob");
                var result = await _h.Fs.HardLinkAsync(bob, facet, destination);
                answers.Add($"{result.Status} {result.Message?.Replace(facet, "F", StringComparison.Ordinal)} {bob.Label}");
            }
        }

        Assert.Equal(answers[0], answers[2]);
        Assert.Equal(answers[1], answers[3]);
        Assert.All(answers, a => Assert.StartsWith(nameof(FsStatus.BadPath), a, StringComparison.Ordinal));
    }

    [Fact]
    public async Task HardLinkingAFacetViaHomeOrCurrentLabel_IsRefusedToo()
    {
        Assert.Equal(FsStatus.BadPath, (await _h.Fs.HardLinkAsync(As("alice"), "~", "~:again")).Status);
        Assert.Equal(FsStatus.BadPath, (await _h.Fs.HardLinkAsync(As("alice"), "home:%", "~:again")).Status);
    }

    [Fact]
    public async Task ObjectsInsideAFacet_CanStillBeHardLinked()
    {
        Assert.True((await _h.Fs.CreateFileAsync(As("alice"), "~:notes", L("alice,alice"), "x"u8.ToArray())).IsOk);

        Assert.True((await _h.Fs.HardLinkAsync(As("alice"), "~:notes", "~:notes-again")).IsOk);
        Assert.Equal("x"u8.ToArray(), (await _h.Fs.ReadFileAsync(As("alice"), "~:notes-again")).Value);
    }

    [Theory]
    [InlineData("home:<alice,bob/b1>:x")]
    [InlineData("home:<alice,bob/b0>:x")]
    public async Task Attack_EveryFacetOperation_TaintsWithTheFacetBeforeAnswering(string path)
    {
        Assert.True((await _h.Fs.CreateFacetAsync(As("alice&bob"), "home:<alice,bob/b1>")).IsOk);

        // Whatever bob does inside alice's facet, he carries alice's secrecy when he hears back.
        var operations = new Func<SecurityContext, ValueTask<FsResult>>[]
        {
            c => Status(_h.Fs.StatAsync(c, path)),
            c => Status(_h.Fs.ListAsync(c, path)),
            c => _h.Fs.DeleteAsync(c, path),
            c => _h.Fs.CreateFileAsync(c, path, L("alice,bob")),
            c => _h.Fs.HardLinkAsync(c, path, "home:<T,bob>:y"),
            c => Status(_h.Fs.ReadFileAsync(c, path)),
        };
        foreach (var operation in operations)
        {
            var bob = As("bob");
            _ = await operation(bob);
            Assert.Equal(C("alice"), bob.Label.Secrecy);
        }
    }

    // Item 6: what a computation creates without a label is endorsed with its privilege.
    [Fact]
    public async Task Attack_BobCannotOverwriteOrAddToWhatAlicesFunctionCreated()
    {
        // gen-thumb (privilege alice/pma), run on alice's data, creates its output directory
        // and a thumbnail without explicit labels.
        var thumb = As("alice/pma", "alice,T");
        Assert.True((await _h.Fs.CreateDirectoryAsync(thumb, "home:<alice,T>:out")).IsOk);
        Assert.True((await _h.Fs.CreateFileAsync(thumb, "home:<alice,T>:out:small.jpeg", content: "real"u8.ToArray())).IsOk);
        Assert.Equal(L("alice,alice/pma"), (await _h.Fs.StatAsync(Super(), "home:<alice,T>:out")).Value.Label);

        // Bob's blind writes (he cannot read the result, but used to be able to write it).
        var overwrite = await _h.Fs.WriteFileAsync(As("bob"), "home:<alice,T>:out:small.jpeg", "FORGED BY BOB"u8.ToArray());
        var add = await _h.Fs.CreateFileAsync(As("bob"), "home:<alice,T>:out:extra.jpeg", L("alice,T"), "FORGED BY BOB"u8.ToArray());

        Assert.Equal(FsStatus.LabelDenied, overwrite.Status);
        Assert.Equal(FsStatus.LabelDenied, add.Status);
        Assert.Equal("real"u8.ToArray(), (await _h.Fs.ReadFileAsync(Super(), "home:<alice,T>:out:small.jpeg")).Value);
        Assert.Single((await _h.Fs.ListAsync(Super(), "home:<alice,T>:out")).Value!);
    }

    [Fact]
    public void DefaultCreateLabel_IsTheCurrentSecrecyWithIntegrityEndorsedByThePrivilege()
    {
        Assert.Equal(L("alice,bob"), As("bob", "alice,T").DefaultCreateLabel);
        Assert.Equal(L("alice,bob&carol"), As("bob", "alice,carol").DefaultCreateLabel);
    }

    private static async ValueTask<FsResult> Status<T>(ValueTask<FsResult<T>> operation) => (await operation).WithoutValue();
}
