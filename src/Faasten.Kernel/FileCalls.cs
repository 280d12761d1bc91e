using Faasten.Fs;
using Faasten.Fs.Objects;
using Faasten.Fs.Paths;
using Faasten.Protocol;
using Faasten.Protocol.V1;
using Google.Protobuf;

namespace Faasten.Kernel;

/// <summary>
/// The file and directory CloudCalls: thin translations onto the monitor, which applies every
/// label rule and taints the invocation's context as it reads.
/// </summary>
internal sealed class FileCalls(FileSystem fs, SecurityContext ctx, CreatedBlobs created)
{
    public async ValueTask<CloudCallResponse> ReadAsync(FsRead call, CancellationToken ct)
    {
        var result = await fs.ReadFileAsync(ctx, call.Path, ct).ConfigureAwait(false);
        return result.IsOk
            ? new CloudCallResponse { FsRead = new FsReadResult { Data = UnsafeByteOperations.UnsafeWrap(result.Value) } }
            : KernelErrors.From(result.WithoutValue());
    }

    public ValueTask<CloudCallResponse> WriteAsync(FsWrite call, CancellationToken ct) =>
        call.Data.Length > FileSystem.MaxFileBytes
            ? ValueTask.FromResult(KernelErrors.TooLarge($"a file holds at most {FileSystem.MaxFileBytes} bytes; store larger data as a blob"))
            : DoneAsync(fs.WriteFileAsync(ctx, call.Path, call.Data.Memory, ct));

    /// <summary>One page of a directory; the runtime's <c>fs_list</c> follows <c>next</c> to the end.</summary>
    public async ValueTask<CloudCallResponse> ListAsync(FsList call, CancellationToken ct)
    {
        var limit = call.Limit == 0 ? FileSystem.MaxPageSize : (int)Math.Min(call.Limit, int.MaxValue);
        var result = await fs.ListPageAsync(ctx, call.Path, call.HasCursor ? call.Cursor : null, limit, ct).ConfigureAwait(false);
        if (!result.IsOk)
        {
            return KernelErrors.From(result.WithoutValue());
        }

        var listing = ToListing(result.Value!.Entries);
        if (result.Value.Next is { } next)
        {
            listing.Next = next;
        }

        return new CloudCallResponse { FsList = listing };
    }

    /// <summary>
    /// One page of the facets visible under the clearance (the monitor taints with the
    /// clearance); the runtime lists each facet's entries with <c>fs_list</c>, so no answer
    /// grows with the directory. Every listed facet flows to the clearance, so listing it adds
    /// nothing to the label the caller already carries.
    /// </summary>
    public async ValueTask<CloudCallResponse> FacetedListAsync(FsFacetedList call, CancellationToken ct)
    {
        if (!KernelArgs.TryOptionalLabel(call.HasClearance, call.Clearance, "clearance", out var clearance, out var bad))
        {
            return bad;
        }

        var limit = call.Limit == 0 ? FileSystem.MaxPageSize : (int)Math.Min(call.Limit, int.MaxValue);
        var page = await fs.ListFacetsPageAsync(ctx, call.Path, clearance, call.HasCursor ? call.Cursor : null, limit, ct).ConfigureAwait(false);
        if (!page.IsOk)
        {
            return KernelErrors.From(page.WithoutValue());
        }

        var reply = new FsFacetedListResult();
        reply.Facets.AddRange(page.Value!.Facets.Select(facet => new FacetListing { Facet = facet.ToString() }));
        if (page.Value.Next is { } next)
        {
            reply.Next = next;
        }

        return new CloudCallResponse { FsFacetedList = reply };
    }

    public ValueTask<CloudCallResponse> CreateDirectoryAsync(FsCreateDir call, CancellationToken ct) =>
        KernelArgs.TryOptionalLabel(call.HasLabel, call.Label, "label", out var label, out var bad)
            ? DoneAsync(fs.CreateDirectoryAsync(ctx, call.Path, label, ct))
            : ValueTask.FromResult(bad);

    public ValueTask<CloudCallResponse> CreateFileAsync(FsCreateFile call, CancellationToken ct) =>
        KernelArgs.TryOptionalLabel(call.HasLabel, call.Label, "label", out var label, out var bad)
            ? DoneAsync(fs.CreateFileAsync(ctx, call.Path, label, ct: ct))
            : ValueTask.FromResult(bad);

    public ValueTask<CloudCallResponse> CreateFacetedAsync(FsCreateFaceted call, CancellationToken ct) =>
        DoneAsync(fs.CreateFacetedDirectoryAsync(ctx, call.Path, ct));

    public ValueTask<CloudCallResponse> HardLinkAsync(FsHardLink call, CancellationToken ct) =>
        DoneAsync(fs.HardLinkAsync(ctx, call.Source, call.Destination, ct));

    public ValueTask<CloudCallResponse> DeleteAsync(FsDelete call, CancellationToken ct) =>
        DoneAsync(fs.DeleteAsync(ctx, call.Path, ct));

    /// <summary>Rule 8: <c>blob</c> is a hash only if this invocation created it; otherwise it is the path of a blob entry.</summary>
    public ValueTask<CloudCallResponse> LinkBlobAsync(FsLinkBlob call, CancellationToken ct)
    {
        if (!KernelArgs.TryOptionalLabel(call.HasLabel, call.Label, "label", out var label, out var bad))
        {
            return ValueTask.FromResult(bad);
        }

        return DoneAsync(created.Contains(call.Blob)
            ? fs.LinkBlobAsync(ctx, call.Path, call.Blob, label, ct)
            : fs.LinkBlobEntryAsync(ctx, call.Path, call.Blob, label, ct));
    }

    internal static async ValueTask<CloudCallResponse> DoneAsync(ValueTask<FsResult> operation)
    {
        var result = await operation.ConfigureAwait(false);
        return result.IsOk ? CloudCallReplies.Done() : KernelErrors.From(result);
    }

    private static FsListResult ToListing(IReadOnlyList<DirectoryEntry> entries)
    {
        var listing = new FsListResult();
        listing.Entries.AddRange(entries.Select(EntryKinds.ToWire));
        return listing;
    }
}
