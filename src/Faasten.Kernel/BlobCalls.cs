using Faasten.Fs;
using Faasten.Fs.Paths;
using Faasten.Protocol;
using Faasten.Protocol.V1;
using Google.Protobuf;

namespace Faasten.Kernel;

/// <summary>
/// The blob CloudCalls and the invocation's handle table. Handles are small integers private
/// to one invocation; a capped table bounds what a function can hold open, and disposing it
/// closes readers and abandons unfinished writes.
/// </summary>
internal sealed class BlobCalls(FileSystem fs, SecurityContext ctx, CloudCallKernelOptions options, CreatedBlobs created) : IAsyncDisposable
{
    private readonly Dictionary<ulong, BlobSlot> _slots = [];
    private ulong _lastHandle;

    public int OpenCount => _slots.Count;

    public async ValueTask<CloudCallResponse> OpenAsync(BlobOpen call, CancellationToken ct)
    {
        if (_slots.Count >= options.MaxOpenBlobs)
        {
            return TooManyHandles();
        }

        var opened = await fs.OpenBlobAsync(ctx, call.Path, ct).ConfigureAwait(false);
        if (!opened.IsOk)
        {
            return KernelErrors.From(opened.WithoutValue());
        }

        var (hash, length) = opened.Value;
        var stream = await fs.Blobs.OpenReadAsync(hash, ct).ConfigureAwait(false);
        if (stream is null)
        {
            return CloudCallReplies.Error(CloudCallErrorCode.Internal, $"the content of blob '{KernelErrors.Quote(call.Path)}' is missing from the blob store");
        }

        var handle = Add(new BlobReadSlot(fs.Blobs, hash, length, stream));
        return new CloudCallResponse { BlobOpen = new BlobOpenResult { Handle = handle, Size = (ulong)length, Hash = hash } };
    }

    /// <summary>Reads at most one chunk; a longer request gets a shorter reply, as the protocol allows.</summary>
    public async ValueTask<CloudCallResponse> ReadAsync(BlobRead call, CancellationToken ct)
    {
        if (!_slots.TryGetValue(call.Handle, out var slot) || slot is not BlobReadSlot reader)
        {
            return NoHandle(call.Handle, "blob_open");
        }

        var offset = (long)Math.Min(call.Offset, long.MaxValue);
        var data = await reader.ReadAsync(offset, (int)Math.Min(call.Length, (uint)options.MaxBlobChunkBytes), ct).ConfigureAwait(false);
        return new CloudCallResponse { BlobRead = new BlobReadResult { Data = UnsafeByteOperations.UnsafeWrap(data) } };
    }

    public async ValueTask<CloudCallResponse> CloseAsync(BlobClose call)
    {
        if (!_slots.Remove(call.Handle, out var slot))
        {
            return NoHandle(call.Handle, "blob_open or blob_create");
        }

        await slot.DisposeAsync().ConfigureAwait(false);
        return CloudCallReplies.Done();
    }

    public CloudCallResponse Create(BlobCreate call)
    {
        if (_slots.Count >= options.MaxOpenBlobs)
        {
            return TooManyHandles();
        }

        if (!KernelArgs.TryOptionalLabel(call.HasLabel, call.Label, "label", out var label, out var bad))
        {
            return bad;
        }

        if (!call.HasPath && label is not null)
        {
            return KernelErrors.BadRequest("blob_create got a label but no path to link the blob at");
        }

        // Fail early on a bad path rather than after the function streamed the whole blob.
        if (call.HasPath && !FsPath.TryParse(call.Path, out _, out var error))
        {
            return CloudCallReplies.Error(CloudCallErrorCode.BadPath, $"bad path '{KernelErrors.Quote(call.Path)}': {error}");
        }

        var handle = Add(new BlobWriteSlot(fs.Blobs.BeginWrite(), call.HasPath ? call.Path : null, label));
        return new CloudCallResponse { BlobCreate = new BlobCreateResult { Handle = handle } };
    }

    public async ValueTask<CloudCallResponse> WriteAsync(BlobWrite call, CancellationToken ct)
    {
        if (!_slots.TryGetValue(call.Handle, out var slot) || slot is not BlobWriteSlot writer)
        {
            return NoHandle(call.Handle, "blob_create");
        }

        if (await RefuseIfTooLargeAsync(call.Handle, writer, call.Data.Length).ConfigureAwait(false) is { } tooLarge)
        {
            return tooLarge;
        }

        await writer.Writer.WriteAsync(call.Data.Memory, ct).ConfigureAwait(false);
        return CloudCallReplies.Done();
    }

    /// <summary>
    /// Seals the blob and, if blob_create named a path, links it there: rule 3 for the label
    /// given then, or for the caller's label now, which covers everything read while writing.
    /// </summary>
    public async ValueTask<CloudCallResponse> FinalizeAsync(BlobFinalize call, CancellationToken ct)
    {
        if (!_slots.TryGetValue(call.Handle, out var slot) || slot is not BlobWriteSlot writer)
        {
            return NoHandle(call.Handle, "blob_create");
        }

        if (await RefuseIfTooLargeAsync(call.Handle, writer, call.Data.Length).ConfigureAwait(false) is { } tooLarge)
        {
            return tooLarge;
        }

        _slots.Remove(call.Handle);
        string hash;
        await using (writer.ConfigureAwait(false))
        {
            if (!call.Data.IsEmpty)
            {
                await writer.Writer.WriteAsync(call.Data.Memory, ct).ConfigureAwait(false);
            }

            hash = await writer.Writer.CommitAsync(ct).ConfigureAwait(false);
        }

        created.Add(hash);

        if (writer.Path is { } path)
        {
            var linked = await fs.LinkBlobAsync(ctx, path, hash, writer.Label, ct).ConfigureAwait(false);
            if (!linked.IsOk)
            {
                return KernelErrors.From(linked);
            }
        }

        return new CloudCallResponse { BlobFinalize = new BlobFinalizeResult { Hash = hash } };
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var slot in _slots.Values)
        {
            await slot.DisposeAsync().ConfigureAwait(false);
        }

        _slots.Clear();
    }

    private ulong Add(BlobSlot slot)
    {
        var handle = ++_lastHandle;
        _slots.Add(handle, slot);
        return handle;
    }

    // Past the cap the write is abandoned whole: a half blob is of no use to anyone.
    private async ValueTask<CloudCallResponse?> RefuseIfTooLargeAsync(ulong handle, BlobWriteSlot writer, int adding)
    {
        if (writer.Writer.Length + adding <= options.MaxBlobBytes)
        {
            return null;
        }

        _slots.Remove(handle);
        await writer.DisposeAsync().ConfigureAwait(false);
        return KernelErrors.TooLarge($"a blob holds at most {options.MaxBlobBytes} bytes; blob handle {handle} was abandoned");
    }

    private CloudCallResponse TooManyHandles() =>
        KernelErrors.TooLarge($"too many open blob handles (at most {options.MaxOpenBlobs} per invocation); close some first");

    private static CloudCallResponse NoHandle(ulong handle, string from) =>
        KernelErrors.BadRequest($"no blob handle {handle} from {from} is open");
}
