using Faasten.Fs.Storage;
using Faasten.Tests.Common.Storage;

namespace Faasten.Fs.Tests.Storage;

public sealed class SqliteMetadataStoreTests : MetadataStoreConformanceTests
{
    private readonly SqliteStoreTestStorage _storage = new();

    protected override Task<IMetadataStore> CreateStoreAsync() => Task.FromResult(_storage.Open());

    protected override Task DeleteStorageAsync()
    {
        _storage.Dispose();
        return Task.CompletedTask;
    }
}
