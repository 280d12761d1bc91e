using System.Text;
using Faasten.Fs;
using Faasten.Fs.Objects;
using Faasten.Fs.Storage;

namespace Faasten.Tests.Common.Fs;

/// <summary>Opening a store written when a directory was one record holding all its entries.</summary>
public abstract class LayoutMigrationTests : FileSystemStoreTestBase
{
    protected override bool BootstrapOnStart => false;

    [Fact]
    public async Task Bootstrap_OnAStoreOfTheOldLayout_ConvertsItAndServesTheSameTree()
    {
        var store = await OpenStoreAsync();
        var photos = ObjectId.NewId();
        var file = ObjectId.NewId();
        var home = ObjectId.NewId();
        var facet = ObjectId.NewId();
        await PutLegacyAsync(store, ObjectId.Root, """{"k":"Directory","l":"T,F","e":{"home":{"i":"@home","k":"FacetedDirectory"}}}""".Replace("@home", home.Value, StringComparison.Ordinal));
        await PutLegacyAsync(store, home, """{"k":"FacetedDirectory","f":{"carol,carol":"@facet"}}""".Replace("@facet", facet.Value, StringComparison.Ordinal));
        await PutLegacyAsync(store, facet, """{"k":"Directory","l":"carol,carol","e":{"photos":{"i":"@photos","k":"Directory"}}}""".Replace("@photos", photos.Value, StringComparison.Ordinal));
        await PutLegacyAsync(store, photos, """{"k":"Directory","l":"carol,carol","e":{"a.jpg":{"i":"@file","k":"File"},"b.jpg":{"i":"@file","k":"File"}}}""".Replace("@file", file.Value, StringComparison.Ordinal));
        await PutLegacyAsync(store, file, """{"k":"File","l":"carol,carol","d":"aGk="}""");

        var fs = new FileSystem(store, Blobs, Clock);
        await fs.BootstrapAsync();

        var carol = new SecurityContext(Faasten.Labels.Component.Parse("carol"));
        Assert.Equal(["a.jpg", "b.jpg"], (await fs.ListAsync(carol, "home:<carol,carol>:photos")).Value!.Select(e => e.Name));
        Assert.Equal("hi"u8.ToArray(), (await fs.ReadFileAsync(new(Faasten.Labels.Component.Parse("carol")), "home:<carol,carol>:photos:b.jpg")).Value);
        Assert.Contains(L("carol,carol"), (await fs.ListFacetsAsync(Super(), "home", L("F,T"))).Value!);
        Assert.Equal("2", Encoding.ASCII.GetString((await store.GetAsync(FsKeys.Layout))!.Value.Value));
        Assert.DoesNotContain("\"e\"", Encoding.UTF8.GetString((await store.GetAsync(photos.StoreKey))!.Value.Value), StringComparison.Ordinal);

        // Now the new layout's operations work on the converted tree.
        Assert.Equal(FsResult.Ok, await fs.DeleteAsync(new(Faasten.Labels.Component.Parse("carol")), "home:<carol,carol>:photos:a.jpg"));
        Assert.Equal(FsResult.Ok, await fs.CreateFileAsync(new(Faasten.Labels.Component.Parse("carol")), "home:<carol,carol>:photos:c.jpg", L("carol,carol")));
        Assert.Equal(["b.jpg", "c.jpg"], (await fs.ListAsync(carol, "home:<carol,carol>:photos")).Value!.Select(e => e.Name));
    }

    [Fact]
    public async Task Bootstrap_AfterAConversionDiedHalfway_FinishesIt()
    {
        var store = await OpenStoreAsync();
        var dir = ObjectId.NewId();
        var file = ObjectId.NewId();
        await PutLegacyAsync(store, ObjectId.Root, """{"k":"Directory","l":"T,F","e":{"d":{"i":"@dir","k":"Directory"}}}""".Replace("@dir", dir.Value, StringComparison.Ordinal));
        await PutLegacyAsync(store, dir, """{"k":"Directory","l":"T,T","e":{"x":{"i":"@file","k":"File"},"y":{"i":"@file","k":"File"}}}""".Replace("@file", file.Value, StringComparison.Ordinal));
        await PutLegacyAsync(store, file, """{"k":"File","l":"T,T"}""");

        // A converter that died: one entry copied, the old record intact, its lease left behind.
        await store.InsertIfAbsentAsync(FsKeys.Entry(dir, "x"), ObjectCodec.EncodeEntry(file, ObjectKind.File));
        await store.InsertIfAbsentAsync(FsKeys.MigrationLease, FsKeys.EncodeTime(Clock.GetUtcNow().ToUnixTimeMilliseconds() - 1));

        var fs = new FileSystem(store, Blobs, Clock);
        await fs.BootstrapAsync();

        Assert.Equal(["x", "y"], (await fs.ListAsync(Super(), "d")).Value!.Select(e => e.Name));
        Assert.Contains("home", (await fs.ListAsync(Super(), "")).Value!.Select(e => e.Name));
        Assert.Null(await store.GetAsync(FsKeys.MigrationLease));
    }

    private static async Task PutLegacyAsync(IMetadataStore store, ObjectId id, string json) =>
        Assert.True(await store.InsertIfAbsentAsync(id.StoreKey, Encoding.UTF8.GetBytes(json)));
}
