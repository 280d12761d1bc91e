using Faasten.Fs.Storage;
using Faasten.Tests.Common;
using Faasten.Tests.Common.Fs;

namespace Faasten.Fs.Tests.Monitor;

public sealed class SqliteFileSystemLayoutTests : FileSystemLayoutTests
{
    private readonly TempDirectory _directory = new("faasten-fs-sqlite");

    // Each store is a connection pool and writer of its own on the one file, as two processes would be.
    protected override Task<IMetadataStore> CreateStoreAsync() => Task.FromResult<IMetadataStore>(SqliteMetadataStore.Open(_directory.Combine("metadata.db")));

    protected override Task DeleteStorageAsync()
    {
        _directory.Dispose();
        return Task.CompletedTask;
    }
}
