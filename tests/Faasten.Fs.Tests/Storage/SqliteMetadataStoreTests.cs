using Faasten.Fs.Storage;
using Faasten.Tests.Common.Storage;

namespace Faasten.Fs.Tests.Storage;

public sealed class SqliteMetadataStoreTests : MetadataStoreConformanceTests
{
    private readonly SqliteStoreTestStorage storage = new();

    protected override Task<IMetadataStore> CreateStoreAsync() => Task.FromResult(storage.Open());

    protected override Task DeleteStorageAsync()
    {
        storage.Dispose();
        return Task.CompletedTask;
    }
}
