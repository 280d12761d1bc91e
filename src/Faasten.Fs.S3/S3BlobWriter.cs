using System.Buffers;
using System.Security.Cryptography;
using Amazon.S3.Model;
using Faasten.Fs.Storage;

namespace Faasten.Fs.S3;

/// <summary>
/// One blob being written: hashed as it streams into a spool (memory up to
/// <see cref="InMemoryBytes"/>, then an unlinked temp file), uploaded under its hash on commit.
/// Memory use is bounded by the spool threshold and one part, whatever the blob's size.
/// </summary>
internal sealed class S3BlobWriter(S3BlobStore store) : IBlobWriter
{
    /// <summary>Small blobs (most files) never touch the disk.</summary>
    internal const int InMemoryBytes = 1024 * 1024;

    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private MemoryStream? _memory = new();
    private FileStream? _file;
    private State _state;

    private enum State
    {
        Writing,
        Committed,
        Failed,
        Disposed,
    }

    public long Length { get; private set; }

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        ThrowIfNotWriting();
        try
        {
            _hash.AppendData(data.Span);
            if (_memory is not null && _memory.Length + data.Length <= InMemoryBytes)
            {
                _memory.Write(data.Span);
            }
            else
            {
                var file = await SpillAsync(cancellationToken).ConfigureAwait(false);
                await file.WriteAsync(data, cancellationToken).ConfigureAwait(false);
            }

            Length += data.Length;
        }
        catch
        {
            // The hash and the spool may now disagree: this blob can only be abandoned.
            _state = State.Failed;
            throw;
        }
    }

    public async ValueTask<string> CommitAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfNotWriting();
        cancellationToken.ThrowIfCancellationRequested();
        _state = State.Failed;
        var digest = Convert.ToHexStringLower(_hash.GetHashAndReset());
        var key = store.KeyOf(digest);
        Stream spool = (Stream?)_file ?? _memory!;
        await spool.FlushAsync(cancellationToken).ConfigureAwait(false);
        spool.Position = 0;

        // Content already stored is uploaded again: the PUT replaces identical bytes atomically and
        // refreshes the object's time, which the collector reads as "just committed".
        if (Length <= store.Options.PartBytes)
        {
            await store.Client.PutObjectAsync(
                new PutObjectRequest
                {
                    BucketName = store.Options.Bucket,
                    Key = key,
                    InputStream = spool,
                    AutoCloseStream = false,
                    UseChunkEncoding = false,
                    ContentType = "application/octet-stream",
                },
                cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await UploadMultipartAsync(key, spool, cancellationToken).ConfigureAwait(false);
        }

        _state = State.Committed;
        return digest;
    }

    public async ValueTask DisposeAsync()
    {
        if (_state == State.Disposed)
        {
            return;
        }

        _state = State.Disposed;
        _hash.Dispose();
        if (_memory is not null)
        {
            await _memory.DisposeAsync().ConfigureAwait(false);
            _memory = null;
        }

        if (_file is not null)
        {
            await _file.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Parts are uploaded one at a time from the spool; the object appears under the hash only when
    /// CompleteMultipartUpload succeeds. A failure aborts the upload so its parts are not kept.
    /// </summary>
    private async Task UploadMultipartAsync(string key, Stream spool, CancellationToken cancellationToken)
    {
        var client = store.Client;
        var bucket = store.Options.Bucket;
        var started = await client.InitiateMultipartUploadAsync(
            new InitiateMultipartUploadRequest { BucketName = bucket, Key = key, ContentType = "application/octet-stream" },
            cancellationToken).ConfigureAwait(false);
        var parts = new List<PartETag>();
        var buffer = ArrayPool<byte>.Shared.Rent(store.Options.PartBytes);
        try
        {
            for (var number = 1; ; number++)
            {
                var n = await spool.ReadAtLeastAsync(buffer.AsMemory(0, store.Options.PartBytes), store.Options.PartBytes, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }

                using var part = new MemoryStream(buffer, 0, n, writable: false);
                var uploaded = await client.UploadPartAsync(
                    new UploadPartRequest
                    {
                        BucketName = bucket,
                        Key = key,
                        UploadId = started.UploadId,
                        PartNumber = number,
                        PartSize = n,
                        InputStream = part,
                        UseChunkEncoding = false,
                    },
                    cancellationToken).ConfigureAwait(false);
                parts.Add(new PartETag(number, uploaded.ETag));
            }

            await client.CompleteMultipartUploadAsync(
                new CompleteMultipartUploadRequest { BucketName = bucket, Key = key, UploadId = started.UploadId, PartETags = parts },
                cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            try
            {
                await client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = bucket, Key = key, UploadId = started.UploadId }, CancellationToken.None).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // Best effort: the original failure is what the caller must see.
            catch (Exception)
#pragma warning restore CA1031
            {
            }

            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Moves the spool to a temp file, unlinked at once so that nothing outlives this writer, even a SIGKILL.</summary>
    private async ValueTask<FileStream> SpillAsync(CancellationToken cancellationToken)
    {
        if (_file is not null)
        {
            return _file;
        }

        var directory = store.Options.SpoolDirectory ?? Path.GetTempPath();
        var path = Path.Combine(directory, "faasten-blob-" + Guid.NewGuid().ToString("N") + ".spool");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.ReadWrite, Share = FileShare.None, BufferSize = 64 * 1024, Options = FileOptions.Asynchronous };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        var file = new FileStream(path, options);
        if (!OperatingSystem.IsWindows())
        {
            File.Delete(path);
        }

        _file = file;
        if (_memory is { } memory)
        {
            memory.Position = 0;
            await memory.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
            await memory.DisposeAsync().ConfigureAwait(false);
            _memory = null;
        }

        return file;
    }

    private void ThrowIfNotWriting()
    {
        switch (_state)
        {
            case State.Writing:
                return;
            case State.Disposed:
                throw new ObjectDisposedException(nameof(IBlobWriter));
            case State.Committed:
                throw new InvalidOperationException("The blob is already committed.");
            default:
                throw new InvalidOperationException("A previous write or commit failed; dispose this writer and start again.");
        }
    }
}
