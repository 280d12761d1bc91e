using Faasten.Fs.Storage;

namespace Faasten.Benchmarks.Storage;

public class SqliteMetadataBenchmarks : MetadataStoreBenchmarks
{
    private string _directory = "";

    protected override Task<IMetadataStore> OpenStoreAsync()
    {
        _directory = Directory.CreateTempSubdirectory("faasten-bench-sqlite-").FullName;
        return Task.FromResult<IMetadataStore>(SqliteMetadataStore.Open(Path.Combine(_directory, "metadata.db")));
    }

    protected override Task DeleteStorageAsync()
    {
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }
}
