using Faasten.Fs.Storage;
using Faasten.Tests.Common;

namespace Faasten.Fs.Tests.Storage;

/// <summary>A database file in a temp directory of its own.</summary>
internal sealed class SqliteStoreTestStorage : IDisposable
{
    private readonly TempDirectory _directory = new("faasten-sqlite");

    public string DatabasePath => _directory.Combine("metadata.db");

    public IMetadataStore Open() => SqliteMetadataStore.Open(DatabasePath);

    public void Dispose() => _directory.Dispose();
}
