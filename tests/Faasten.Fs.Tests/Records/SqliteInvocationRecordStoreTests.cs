using Faasten.Fs.Records;
using Faasten.Tests.Common;
using Faasten.Tests.Common.Records;

namespace Faasten.Fs.Tests.Records;

public sealed class SqliteInvocationRecordStoreTests : InvocationRecordStoreConformanceTests, IDisposable
{
    private readonly TempDirectory _directory = new();

    protected override async Task<IInvocationRecordStore> OpenAsync() =>
        await SqliteInvocationRecordStore.OpenAsync(Path.Combine(_directory.Path, "metadata.db"));

    public void Dispose() => _directory.Dispose();
}
