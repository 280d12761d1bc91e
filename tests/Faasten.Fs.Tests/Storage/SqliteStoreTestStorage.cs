using Faasten.Fs.Storage;
using Faasten.Tests.Common;

namespace Faasten.Fs.Tests.Storage;

/// <summary>A database file in a temp directory of its own.</summary>
internal sealed class SqliteStoreTestStorage : IDisposable
{
    private readonly TempDirectory directory = new("faasten-sqlite");

    public string DatabasePath => directory.Combine("metadata.db");

    public IMetadataStore Open() => SqliteMetadataStore.Open(DatabasePath);

    public void Dispose() => directory.Dispose();
}
