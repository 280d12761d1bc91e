namespace Faasten.Fs.Storage;

/// <summary>
/// Serializes publishing a blob against the collector deleting one, across threads and across
/// processes sharing the directory (a server and <c>faasten admin gc</c>): a commit of content
/// that already exists refreshes its time under this lock, and the collector re-checks that time
/// under it before deleting, so a blob someone just committed is never deleted. The cross-process
/// part is an exclusive flock on a lock file (FileShare.None), released by the kernel if its
/// holder dies.
/// </summary>
internal sealed class BlobStoreLock
{
    private static readonly TimeSpan Retry = TimeSpan.FromMilliseconds(1);

    private readonly SemaphoreSlim _local = new(1, 1);
    private readonly string _path;

    /// <summary>Creates the lock file now, so the store's directory holds the same files before and after its first commit.</summary>
    public BlobStoreLock(string path)
    {
        _path = path;
        using var _ = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite, bufferSize: 0);
    }

    public async ValueTask<IDisposable> AcquireAsync(CancellationToken ct)
    {
        await _local.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            while (true)
            {
                try
                {
                    return new Held(this, new FileStream(_path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 0));
                }
                catch (IOException)
                {
                    // Held by another process; its critical section is a rename or a delete.
                    await Task.Delay(Retry, ct).ConfigureAwait(false);
                }
            }
        }
        catch
        {
            _local.Release();
            throw;
        }
    }

    private sealed class Held(BlobStoreLock owner, FileStream file) : IDisposable
    {
        public void Dispose()
        {
            file.Dispose();
            owner._local.Release();
        }
    }
}
