using System.Runtime.CompilerServices;

namespace Faasten.Fs.Storage;

/// <summary>
/// Blobs as files under a local directory: <c>&lt;root&gt;/&lt;first two hex chars&gt;/&lt;hash&gt;</c>.
/// Writers stream into <c>&lt;root&gt;/tmp</c> and rename into place after an fsync, so a
/// file under a hash is always complete. Paths never leave this class: callers speak hashes.
/// </summary>
public sealed class LocalBlobStore : IBlobStore
{
    private const string TempDirectoryName = "tmp";

    private const string LockFileName = "gc.lock";

    private readonly string _root;
    private readonly string _tempRoot;
    private readonly BlobStoreLock _lock;

    /// <summary>Opens (creating if needed) the store at <paramref name="root"/> and removes temp files left by dead writers.</summary>
    public LocalBlobStore(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        _root = Path.GetFullPath(root);
        _tempRoot = Path.Combine(_root, TempDirectoryName);
        Directory.CreateDirectory(_tempRoot);
        _lock = new BlobStoreLock(Path.Combine(_root, LockFileName));
        RemoveStaleTemps();
    }

    public IBlobWriter BeginWrite() =>
        new LocalBlobWriter(this, Path.Combine(_tempRoot, Guid.NewGuid().ToString("N") + ".tmp"));

    /// <summary>A seekable stream over the blob; the caller disposes it.</summary>
    public ValueTask<Stream?> OpenReadAsync(string hash, CancellationToken cancellationToken = default)
    {
        var path = PathOf(hash);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<Stream?>(cancellationToken);
        }

        try
        {
            return new(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, bufferSize: 16 * 1024));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return new((Stream?)null);
        }
        catch (Exception e)
        {
            return ValueTask.FromException<Stream?>(e);
        }
    }

    public ValueTask<long?> GetLengthAsync(string hash, CancellationToken cancellationToken = default)
    {
        var file = new FileInfo(PathOf(hash));
        return new(file.Exists ? file.Length : null);
    }

    public async IAsyncEnumerable<StoredBlob> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var directory in Directory.EnumerateDirectories(_root))
        {
            var prefix = Path.GetFileName(directory);
            if (prefix.Length != 2 || prefix == TempDirectoryName)
            {
                continue;
            }

            foreach (var file in Directory.EnumerateFiles(directory))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var hash = Path.GetFileName(file);
                if (BlobHash.IsValid(hash) && hash.StartsWith(prefix, StringComparison.Ordinal))
                {
                    yield return new StoredBlob(hash, File.GetLastWriteTimeUtc(file));
                }
            }

            await Task.Yield();
        }
    }

    public async ValueTask<bool> DeleteIfCommittedBeforeAsync(string hash, DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        var path = PathOf(hash);
        using (await _lock.AcquireAsync(cancellationToken).ConfigureAwait(false))
        {
            var file = new FileInfo(path);
            if (!file.Exists || file.LastWriteTimeUtc >= cutoff.UtcDateTime)
            {
                return false;
            }

            file.Delete();
        }

        DirectoryFlush.Flush(Path.GetDirectoryName(path)!);
        return true;
    }

    /// <summary>
    /// Moves a finished, synced temp file under its hash; an existing blob wins (same bytes) and
    /// has its time refreshed, so the collector treats it as just committed.
    /// </summary>
    internal async ValueTask PublishAsync(string tempPath, string hash, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(_root, hash[..2]);
        if (!Directory.Exists(directory))
        {
            Directory.CreateDirectory(directory);
            DirectoryFlush.Flush(_root);
        }

        var target = Path.Combine(directory, hash);
        using (await _lock.AcquireAsync(cancellationToken).ConfigureAwait(false))
        {
            if (File.Exists(target))
            {
                File.SetLastWriteTimeUtc(target, DateTime.UtcNow);
                File.Delete(tempPath);
                return;
            }

            // rename(2) is atomic; a racing writer of the same content replaces identical bytes.
            File.Move(tempPath, target, overwrite: true);
        }

        DirectoryFlush.Flush(directory);
    }

    private string PathOf(string hash)
    {
        BlobHash.Validate(hash);
        return Path.Combine(_root, hash[..2], hash);
    }

    /// <summary>
    /// Deletes temp files nobody is writing. A live writer holds an exclusive lock on its
    /// temp file (FileShare.None is an flock on Unix), released by the kernel when its
    /// process dies, so another store opened on the same root skips files still in use.
    /// </summary>
    private void RemoveStaleTemps()
    {
        foreach (var path in Directory.EnumerateFiles(_tempRoot))
        {
            try
            {
                using (new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None, bufferSize: 0))
                {
                }

                File.Delete(path);
            }
            catch (IOException)
            {
                // In use by a live writer, or already gone.
            }
        }
    }
}
