using Faasten.Fs.Monitor;
using Faasten.Fs.Objects;
using Faasten.Fs.Paths;
using Faasten.Fs.Storage;
using Faasten.Labels;

namespace Faasten.Fs;

/// <summary>
/// The reference monitor over the labeled file system (DESIGN §3). Every operation runs for
/// one computation's <see cref="SecurityContext"/>, raises its label as it reads and checks
/// rules 1–5 before it writes. Nothing else in the system touches the stores' objects, so
/// the kernel and the gateway cannot bypass these checks.
/// </summary>
public sealed class FileSystem
{
    /// <summary>Files live inline in the metadata store; bulk data belongs in blobs.</summary>
    public const int MaxFileBytes = 4 * 1024 * 1024;

    private const int MaxRedirects = 16;

    private readonly ObjectRepository _objects;
    private readonly PathResolver _resolver;
    private readonly DirectoryLinker _linker;

    /// <summary>The largest page <see cref="ListPageAsync"/> and <see cref="ListFacetsPageAsync"/> return.</summary>
    public const int MaxPageSize = 1_000;

    public FileSystem(IMetadataStore metadata, IBlobStore blobs, TimeProvider? time = null)
    {
        Blobs = blobs;
        Time = time ?? TimeProvider.System;
        _objects = new ObjectRepository(metadata, Time);
        _resolver = new PathResolver(_objects);
        _linker = new DirectoryLinker(_objects);
    }

    internal TimeProvider Time { get; }

    internal IMetadataStore Metadata => _objects.Store;

    public IBlobStore Blobs { get; }

    /// <summary>
    /// Told the function of each gate created or updated through this file system, after the
    /// write, and awaited: a worker in this process prepares the function's VMs (builds its
    /// template), within a bound of its own, so that the first invocation after
    /// <c>fstn register</c> already forks. It must not throw; the write has happened either way.
    /// </summary>
    public Func<FunctionSpec, CancellationToken, ValueTask>? GateFunctionWritten { get; set; }

    /// <summary>The root's label: public, and writable only with the superuser privilege F.</summary>
    public static Label RootLabel { get; } = new(Component.True, Component.False);

    /// <summary>
    /// Converts a store written with directories as single records (<see cref="LayoutMigration"/>),
    /// then creates the root and the faceted <c>home</c> directory unless they exist. Every step
    /// is idempotent, so concurrent starters and a restart after a crash end in the same state.
    /// </summary>
    public async ValueTask BootstrapAsync(CancellationToken ct = default)
    {
        await new LayoutMigration(_objects.Store, Time).RunAsync(ct).ConfigureAwait(false);
        await _objects.InsertAsync(ObjectId.Root, FsDirectory.Empty(RootLabel), ct).ConfigureAwait(false);
        if (await _objects.GetEntryAsync(ObjectId.Root, PathResolver.HomeName, ct).ConfigureAwait(false) is not null)
        {
            return;
        }

        var home = await _objects.CreateAsync(FacetedDirectory.Empty, ct).ConfigureAwait(false);
        if (!await _objects.InsertEntryAsync(ObjectId.Root, new DirectoryEntry(PathResolver.HomeName, home, ObjectKind.FacetedDirectory), ct).ConfigureAwait(false))
        {
            await _objects.DeleteAsync(home, ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Materializes the home facets of a user: <c>home:&lt;U,U&gt;</c> (private) and
    /// <c>home:&lt;T,U&gt;</c> (public, written by U). Writing a facet is rule 2 on its label.
    /// </summary>
    public async ValueTask<FsResult> AddUserAsync(SecurityContext ctx, string name, CancellationToken ct = default)
    {
        Principal user;
        try
        {
            user = Principal.Parse(name);
        }
        catch (FormatException e)
        {
            return FsResult.Fail(FsStatus.BadRequest, $"bad user name: {e.Message}");
        }

        var u = Component.FromPrincipal(user);
        foreach (var facet in new[] { new Label(u, u), new Label(Component.True, u) })
        {
            var result = await CreateFacetAsync(ctx, FsPath.Root.Append(PathComponent.ForName(PathResolver.HomeName)).Append(PathComponent.ForFacet(facet)), ct).ConfigureAwait(false);
            if (!result.IsOk)
            {
                return result;
            }
        }

        return FsResult.Ok;
    }

    /// <summary>Stores a facet of a faceted directory so that it is listed; a write to the facet (rule 2).</summary>
    public async ValueTask<FsResult> CreateFacetAsync(SecurityContext ctx, string path, CancellationToken ct = default) =>
        FsPathParse(path, out var p, out var bad) ? await CreateFacetAsync(ctx, p, ct).ConfigureAwait(false) : bad;

    private async ValueTask<FsResult> CreateFacetAsync(SecurityContext ctx, FsPath path, CancellationToken ct)
    {
        var located = await _resolver.ResolveAsync(ctx, path, ct).ConfigureAwait(false);
        if (!located.IsOk)
        {
            return located.WithoutValue();
        }

        if (located.Value.Object is not FsDirectory dir || path.IsRoot || path.Last.Kind == PathComponentKind.Name)
        {
            return FsResult.Fail(FsStatus.BadPath, $"'{path}' does not name a facet");
        }

        if (!ctx.CanWrite(dir.Label))
        {
            return Denied(ctx, dir.Label, "write the facet");
        }

        if (Unstorable(located.Value) is { } unstorable)
        {
            return unstorable;
        }

        await _linker.EnsureStoredAsync(located.Value, ct).ConfigureAwait(false);
        return FsResult.Ok;
    }

    /// <summary>The kind and label of the object at a path, learned under the labels of the directories on the way.</summary>
    public async ValueTask<FsResult<(ObjectKind Kind, Label? Label)>> StatAsync(SecurityContext ctx, string path, CancellationToken ct = default)
    {
        var located = await ResolveAsync(ctx, path, ct).ConfigureAwait(false);
        return located.IsOk ? FsResult<(ObjectKind, Label?)>.Ok((located.Value.Object.Kind, located.Value.Object.Label)) : located.WithoutValue();
    }

    public async ValueTask<FsResult<byte[]>> ReadFileAsync(SecurityContext ctx, string path, CancellationToken ct = default)
    {
        var located = await ResolveAsync(ctx, path, ct).ConfigureAwait(false);
        if (!located.IsOk)
        {
            return located.WithoutValue();
        }

        if (located.Value.Object is not FsFile file)
        {
            return WrongKind(path, located.Value.Object, ObjectKind.File);
        }

        ctx.Taint(file.Label);
        return FsResult<byte[]>.Ok(file.Data);
    }

    public async ValueTask<FsResult> WriteFileAsync(SecurityContext ctx, string path, ReadOnlyMemory<byte> data, CancellationToken ct = default)
    {
        if (data.Length > MaxFileBytes)
        {
            return FsResult.Fail(FsStatus.BadRequest, $"a file holds at most {MaxFileBytes} bytes; store larger data as a blob");
        }

        var located = await ResolveAsync(ctx, path, ct).ConfigureAwait(false);
        if (!located.IsOk)
        {
            return located.WithoutValue();
        }

        if (located.Value.Object is not FsFile file)
        {
            return WrongKind(path, located.Value.Object, ObjectKind.File);
        }

        if (!ctx.CanWrite(file.Label))
        {
            return Denied(ctx, file.Label, "write the file");
        }

        // The label is immutable, so a plain put of the whole record is an atomic replace.
        await _objects.PutAsync(located.Value.Id!.Value, file with { Data = data.ToArray() }, ct).ConfigureAwait(false);
        return FsResult.Ok;
    }

    /// <summary>
    /// Every entry of a directory, read a page at a time. For callers inside the process that
    /// need the whole directory; answers that leave the process use <see cref="ListPageAsync"/>.
    /// </summary>
    public async ValueTask<FsResult<IReadOnlyList<DirectoryEntry>>> ListAsync(SecurityContext ctx, string path, CancellationToken ct = default)
    {
        var all = new List<DirectoryEntry>();
        string? after = null;
        do
        {
            var page = await ListPageAsync(ctx, path, after, MaxPageSize, ct).ConfigureAwait(false);
            if (!page.IsOk)
            {
                return page.WithoutValue();
            }

            all.AddRange(page.Value!.Entries);
            after = page.Value.Next;
        }
        while (after is not null);

        return FsResult<IReadOnlyList<DirectoryEntry>>.Ok(all);
    }

    /// <summary>
    /// Up to <paramref name="limit"/> entries in name order after the name <paramref name="after"/>,
    /// and the name to continue after when more follow. Taints with the directory's label before
    /// anything is read, exactly as a whole listing does: the page, its length and whether a next
    /// page exists all depend only on the directory's entries, which that label covers.
    /// </summary>
    public async ValueTask<FsResult<DirectoryPage>> ListPageAsync(SecurityContext ctx, string path, string? after = null, int limit = MaxPageSize, CancellationToken ct = default)
    {
        if (limit is < 1 or > MaxPageSize)
        {
            return FsResult.Fail(FsStatus.BadRequest, $"a page holds 1 to {MaxPageSize} entries");
        }

        if (after is not null && !FsPath.IsValidName(after))
        {
            return FsResult.Fail(FsStatus.BadRequest, "bad cursor: not a name");
        }

        var located = await ResolveAsync(ctx, path, ct).ConfigureAwait(false);
        if (!located.IsOk)
        {
            return located.WithoutValue();
        }

        if (located.Value.Object is not FsDirectory dir)
        {
            return WrongKind(path, located.Value.Object, ObjectKind.Directory);
        }

        ctx.Taint(dir.Label);
        var entries = new List<DirectoryEntry>(Math.Min(limit, 64));
        string? next = null;
        if (located.Value.Id is { } id)
        {
            await foreach (var entry in _objects.ScanEntriesAsync(id, after, ct).ConfigureAwait(false))
            {
                if (entries.Count == limit)
                {
                    next = entries[^1].Name;
                    break;
                }

                entries.Add(entry);
            }
        }

        return FsResult<DirectoryPage>.Ok(new DirectoryPage(entries, next));
    }

    /// <summary>The stored facets that flow to <paramref name="clearance"/>; taints with the clearance, not with what is found.</summary>
    public async ValueTask<FsResult<IReadOnlyList<Label>>> ListFacetsAsync(SecurityContext ctx, string path, Label? clearance = null, CancellationToken ct = default)
    {
        var all = new List<Label>();
        string? after = null;
        do
        {
            var page = await ListFacetsPageAsync(ctx, path, clearance, after, MaxPageSize, ct).ConfigureAwait(false);
            if (!page.IsOk)
            {
                return page.WithoutValue();
            }

            all.AddRange(page.Value!.Facets);
            after = page.Value.Next;
        }
        while (after is not null);

        return FsResult<IReadOnlyList<Label>>.Ok(all);
    }

    /// <summary>
    /// A page of the stored facets that flow to <paramref name="clearance"/>, after the facet
    /// <paramref name="after"/>. Taints with the clearance only; the page, and whether a next one
    /// exists, are computed over the visible facets alone (a hidden facet neither fills a page
    /// nor produces a cursor), so they reveal nothing the whole listing would not.
    /// </summary>
    public async ValueTask<FsResult<FacetPage>> ListFacetsPageAsync(SecurityContext ctx, string path, Label? clearance = null, string? after = null, int limit = MaxPageSize, CancellationToken ct = default)
    {
        if (limit is < 1 or > MaxPageSize)
        {
            return FsResult.Fail(FsStatus.BadRequest, $"a page holds 1 to {MaxPageSize} facets");
        }

        Label? afterFacet = null;
        if (after is not null && (!Label.TryParse(after, out afterFacet, out _) || !FsKeys.IsStorableFacet(afterFacet!.ToString())))
        {
            return FsResult.Fail(FsStatus.BadRequest, "bad cursor: not a label");
        }

        var located = await ResolveAsync(ctx, path, ct).ConfigureAwait(false);
        if (!located.IsOk)
        {
            return located.WithoutValue();
        }

        if (located.Value.Object is not FacetedDirectory)
        {
            return WrongKind(path, located.Value.Object, ObjectKind.FacetedDirectory);
        }

        var c = clearance ?? ctx.Label;
        ctx.Taint(c);

        // The cursor is a facet the caller saw, so it flows to the clearance; one that does not
        // is refused before the store is read, so a guessed cursor learns nothing either.
        if (afterFacet is not null && !afterFacet.CanFlowTo(c))
        {
            return FsResult.Fail(FsStatus.BadRequest, "bad cursor: not a facet of this listing");
        }

        var visible = new List<Label>(Math.Min(limit, 64));
        string? next = null;
        await foreach (var key in _objects.ScanFacetsAsync(located.Value.Id!.Value, afterFacet?.ToString(), ct).ConfigureAwait(false))
        {
            var facet = Label.Parse(key);
            if (!facet.CanFlowTo(c))
            {
                continue;
            }

            if (visible.Count == limit)
            {
                next = visible[^1].ToString();
                break;
            }

            visible.Add(facet);
        }

        return FsResult<FacetPage>.Ok(new FacetPage(visible, next));
    }

    public ValueTask<FsResult> CreateDirectoryAsync(SecurityContext ctx, string path, Label? label = null, CancellationToken ct = default) =>
        CreateAsync(ctx, path, label, l => FsDirectory.Empty(l!), ct);

    public ValueTask<FsResult> CreateFileAsync(SecurityContext ctx, string path, Label? label = null, ReadOnlyMemory<byte> content = default, CancellationToken ct = default) =>
        content.Length > MaxFileBytes
            ? ValueTask.FromResult(FsResult.Fail(FsStatus.BadRequest, $"a file holds at most {MaxFileBytes} bytes; store larger data as a blob"))
            : CreateAsync(ctx, path, label, l => new FsFile(l!, content.ToArray()), ct);

    public ValueTask<FsResult> CreateFacetedDirectoryAsync(SecurityContext ctx, string path, CancellationToken ct = default) =>
        CreateAsync(ctx, path, null, _ => FacetedDirectory.Empty, ct);

    /// <summary>
    /// Links a labeled entry for content this same computation just stored (an upload, or a
    /// blob it created): rule 3, content needs L ⊑_P label. Rule 8: a hash is never a
    /// capability, so callers pass only hashes they made themselves; content named by anyone
    /// else is linked through <see cref="LinkBlobEntryAsync"/>.
    /// </summary>
    public async ValueTask<FsResult> LinkBlobAsync(SecurityContext ctx, string path, string hash, Label? label = null, CancellationToken ct = default)
    {
        long? length;
        try
        {
            length = await Blobs.GetLengthAsync(hash, ct).ConfigureAwait(false);
        }
        catch (ArgumentException e)
        {
            return FsResult.Fail(FsStatus.BadRequest, e.Message);
        }

        // The caller stored this content a moment ago; only a broken store loses it.
        return length is { } n
            ? await CreateAsync(ctx, path, label, l => new FsBlob(l!, hash, n), ct).ConfigureAwait(false)
            : throw new InvalidOperationException($"blob {hash} vanished from the blob store right after it was written");
    }

    /// <summary>
    /// Links a new entry for the content of the blob entry at <paramref name="source"/>: reading
    /// the source taints the computation with its label (rule 1) before the new entry's label is
    /// checked (rule 3), so content can be relabeled only as far as its reader could write it.
    /// </summary>
    public async ValueTask<FsResult> LinkBlobEntryAsync(SecurityContext ctx, string path, string source, Label? label = null, CancellationToken ct = default)
    {
        var opened = await OpenBlobAsync(ctx, source, ct).ConfigureAwait(false);
        return opened.IsOk
            ? await CreateAsync(ctx, path, label, l => new FsBlob(l!, opened.Value.Hash, opened.Value.Length), ct).ConfigureAwait(false)
            : opened.WithoutValue();
    }

    /// <summary>
    /// The monitor's checks of creating an object at <paramref name="path"/>, without creating
    /// it: the parent resolves (tainting the computation as the create would), the computation
    /// may write it (rule 2), the name is free, and an explicit <paramref name="label"/> is one
    /// the computation may create content at (rule 3). Lets a caller refuse before it accepts
    /// content, e.g. before reading a blob upload's body.
    /// </summary>
    public async ValueTask<FsResult> CheckCanCreateAsync(SecurityContext ctx, string path, Label? label = null, CancellationToken ct = default)
    {
        var parent = await ResolveParentAsync(ctx, path, ct).ConfigureAwait(false);
        if (!parent.IsOk)
        {
            return parent.WithoutValue();
        }

        // The default label is built from the current label, which a computation may always
        // create at, so only an explicit label can fail rule 3.
        if (label is { } l && !ctx.CanWrite(l))
        {
            return Denied(ctx, l, "create an object");
        }

        var (located, name) = parent.Value;
        return await ExistsAsync(located, name, ct).ConfigureAwait(false)
            ? FsResult.Fail(FsStatus.Exists, $"'{name}' already exists")
            : FsResult.Ok;
    }

    /// <summary>
    /// Publishes content this computation streamed into <paramref name="upload"/> and links it at
    /// <paramref name="path"/>. The content is committed only when <see cref="CheckCanCreateAsync"/>
    /// still passes and <paramref name="beforeCommit"/> (called once, right before the commit)
    /// agrees; otherwise nothing is committed and disposing the writer abandons it. The hash comes
    /// from the writer, never from the caller (rule 8).
    /// </summary>
    /// <remarks>
    /// The link after the commit can still lose a race (another request took the name in
    /// between); the content then stays in the store. Deleting it is not safe: blobs are
    /// content-addressed and shared, so another computation may have committed the same bytes
    /// meanwhile and linked them.
    /// </remarks>
    public async ValueTask<FsResult<string>> CommitBlobAsync(SecurityContext ctx, string path, IBlobWriter upload, Label? label, Func<bool>? beforeCommit = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(upload);
        var check = await CheckCanCreateAsync(ctx, path, label, ct).ConfigureAwait(false);
        if (!check.IsOk)
        {
            return check;
        }

        if (beforeCommit is not null && !beforeCommit())
        {
            return FsResult.Fail(FsStatus.LabelDenied, "the upload was refused before its content was stored");
        }

        var length = upload.Length;
        var hash = await upload.CommitAsync(ct).ConfigureAwait(false);
        var linked = await CreateAsync(ctx, path, label, l => new FsBlob(l!, hash, length), ct).ConfigureAwait(false);
        return linked.IsOk ? FsResult<string>.Ok(hash) : linked;
    }

    /// <summary>Opens a blob entry for reading; the content's label taints the computation.</summary>
    public async ValueTask<FsResult<BlobHandle>> OpenBlobAsync(SecurityContext ctx, string path, CancellationToken ct = default)
    {
        var located = await ResolveAsync(ctx, path, ct).ConfigureAwait(false);
        if (!located.IsOk)
        {
            return located.WithoutValue();
        }

        if (located.Value.Object is not FsBlob blob)
        {
            return WrongKind(path, located.Value.Object, ObjectKind.Blob);
        }

        ctx.Taint(blob.Label);
        return FsResult<BlobHandle>.Ok(new BlobHandle(blob.Hash, blob.Length));
    }

    /// <summary>
    /// Links an existing object under a second name. A facet is not an object of its own (rule 5:
    /// every facet conceptually exists), so naming one as the source is refused whether or not it
    /// was ever written: the answer may not depend on that.
    /// </summary>
    public async ValueTask<FsResult> HardLinkAsync(SecurityContext ctx, string source, string destination, CancellationToken ct = default)
    {
        if (!FsPathParse(source, out var sourcePath, out var bad))
        {
            return bad;
        }

        if (!sourcePath.IsRoot && sourcePath.Last.Kind != PathComponentKind.Name)
        {
            return FsResult.Fail(FsStatus.BadPath, $"'{Truncate(source)}' names a facet; facets cannot be hard-linked (link the objects inside it)");
        }

        var located = await _resolver.ResolveAsync(ctx, sourcePath, ct).ConfigureAwait(false);
        if (!located.IsOk)
        {
            return located.WithoutValue();
        }

        if (located.Value.Id is not { } id)
        {
            // Only facets lack an id, and they were refused above.
            throw new InvalidOperationException($"'{source}' resolved to an unstored object");
        }

        var obj = located.Value.Object;
        return await LinkIntoParentAsync(ctx, destination, null, _ => obj, id, ct).ConfigureAwait(false);
    }

    /// <summary>Removes a name from its directory: a read-modify-write of the directory (rule 2).</summary>
    public async ValueTask<FsResult> DeleteAsync(SecurityContext ctx, string path, CancellationToken ct = default)
    {
        var parent = await ResolveParentAsync(ctx, path, ct).ConfigureAwait(false);
        if (!parent.IsOk)
        {
            return parent.WithoutValue();
        }

        var (located, name) = parent.Value;
        if (located.Id is not { } dirId)
        {
            return FsResult.Fail(FsStatus.NotFound, $"'{name}' does not exist");
        }

        // Unlinked objects stay in the store: hard links may still reach them.
        return await _linker.UnlinkAsync(dirId, name, ct).ConfigureAwait(false);
    }

    internal ValueTask<FsResult> CreateObjectAsync(SecurityContext ctx, string path, Label? label, Func<Label?, FsObject> make, CancellationToken ct) =>
        CreateAsync(ctx, path, label, make, ct);

    internal async ValueTask<FsResult<Located>> ResolveAsync(SecurityContext ctx, string path, CancellationToken ct) =>
        FsPathParse(path, out var p, out var bad) ? await _resolver.ResolveAsync(ctx, p, ct).ConfigureAwait(false) : bad;

    internal ValueTask<long> ReplaceAsync(ObjectId id, FsObject obj, CancellationToken ct) => _objects.PutAsync(id, obj, ct);

    /// <summary>Records that a blob may have lost its last reference (a gate's old image), for the collector.</summary>
    internal ValueTask ShadeBlobAsync(string hash, CancellationToken ct) => _objects.ShadeBlobAsync(hash, ct);

    internal int MaxRedirectDepth => MaxRedirects;

    private ValueTask<FsResult> CreateAsync(SecurityContext ctx, string path, Label? label, Func<Label?, FsObject> make, CancellationToken ct) =>
        LinkIntoParentAsync(ctx, path, label, make, null, ct);

    // Links an existing object (id given) or a new one at 'path'. A new object is made, checked
    // (rule 3) and stored only after the parent's traversal has tainted the computation, so its
    // default label includes everything learned on the way.
    private async ValueTask<FsResult> LinkIntoParentAsync(SecurityContext ctx, string path, Label? label, Func<Label?, FsObject> make, ObjectId? existing, CancellationToken ct)
    {
        var parent = await ResolveParentAsync(ctx, path, ct).ConfigureAwait(false);
        if (!parent.IsOk)
        {
            return parent.WithoutValue();
        }

        var obj = make(label ?? ctx.DefaultCreateLabel);
        if (existing is null && obj.Label is { } l && !ctx.CanWrite(l))
        {
            return Denied(ctx, l, "create an object");
        }

        var (located, name) = parent.Value;
        if (await ExistsAsync(located, name, ct).ConfigureAwait(false))
        {
            return FsResult.Fail(FsStatus.Exists, $"'{name}' already exists");
        }

        if (Unstorable(located) is { } unstorable)
        {
            return unstorable;
        }

        var dirId = await _linker.EnsureStoredAsync(located, ct).ConfigureAwait(false);
        var id = existing ?? await _objects.CreateAsync(obj, ct).ConfigureAwait(false);
        var linked = await _linker.LinkAsync(dirId, new DirectoryEntry(name, id, obj.Kind), ct).ConfigureAwait(false);
        if (!linked.IsOk && existing is null)
        {
            await _objects.DeleteAsync(id, ct).ConfigureAwait(false);
        }

        return linked;
    }

    private static FsResult? Unstorable(Located dir) =>
        dir.Id is null && !FsKeys.IsStorableFacet(dir.Facet!.ToString())
            ? FsResult.Fail(FsStatus.BadRequest, "a facet whose label holds a lone surrogate cannot be written")
            : null;

    // An unwritten facet holds nothing.
    private async ValueTask<bool> ExistsAsync(Located dir, string name, CancellationToken ct) =>
        dir.Id is { } id && await _objects.GetEntryAsync(id, name, ct).ConfigureAwait(false) is not null;

    // Resolves the directory that holds the path's last name, tainted and checked for a write (rule 2: taint, then check).
    private async ValueTask<FsResult<(Located Directory, string Name)>> ResolveParentAsync(SecurityContext ctx, string path, CancellationToken ct)
    {
        if (!FsPathParse(path, out var p, out var bad))
        {
            return bad;
        }

        if (p.IsRoot || p.Last.Kind != PathComponentKind.Name)
        {
            return FsResult.Fail(FsStatus.BadPath, $"'{path}' must end in a name");
        }

        var located = await _resolver.ResolveAsync(ctx, p.Parent, ct).ConfigureAwait(false);
        if (!located.IsOk)
        {
            return located.WithoutValue();
        }

        if (located.Value.Object is not FsDirectory dir)
        {
            return FsResult.Fail(FsStatus.NotADirectory, $"'{p.Parent}' is a {located.Value.Object.Kind}, not a directory");
        }

        ctx.Taint(dir.Label);
        return ctx.CanWrite(dir.Label)
            ? FsResult<(Located, string)>.Ok((located.Value, p.Last.Name!))
            : Denied(ctx, dir.Label, $"modify directory '{p.Parent}'");
    }

    internal static FsResult Denied(SecurityContext ctx, Label target, string action) =>
        FsResult.Fail(FsStatus.LabelDenied, $"cannot {action} labeled {target} from a computation labeled {ctx.Label} with privilege {ctx.Privilege}");

    internal static FsResult WrongKind(string path, FsObject found, ObjectKind wanted) =>
        FsResult.Fail(FsStatus.WrongKind, $"'{path}' is a {found.Kind}, not a {wanted}");

    private static bool FsPathParse(string path, out FsPath parsed, out FsResult bad)
    {
        if (FsPath.TryParse(path, out parsed, out var error))
        {
            bad = FsResult.Ok;
            return true;
        }

        bad = FsResult.Fail(FsStatus.BadPath, $"bad path '{Truncate(path)}': {error}");
        return false;
    }

    private static string Truncate(string? s) => s is null ? "" : s.Length <= 80 ? s : s[..80] + "…";
}
