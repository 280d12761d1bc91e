using Faasten.Fs.Storage;
using Faasten.Tests.Common.Storage;

namespace Faasten.Fs.Tests.Storage;

/// <summary>Threads on one store and on several stores sharing the file (each its own writer connection).</summary>
public sealed class SqliteMetadataStoreConcurrencyTests : MetadataStoreConcurrencyTests
{
    private readonly SqliteStoreTestStorage _storage = new();

    protected override Task<IMetadataStore> CreateStoreAsync() => Task.FromResult(_storage.Open());

    protected override Task DeleteStorageAsync()
    {
        _storage.Dispose();
        return Task.CompletedTask;
    }
}
