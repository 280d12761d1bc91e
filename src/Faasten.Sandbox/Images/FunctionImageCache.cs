using System.Security.Cryptography;

namespace Faasten.Sandbox.Images;

/// <summary>
/// Worker-side cache of unpacked function images: a SquashFS image blob becomes a directory
/// <c>&lt;cache&gt;/&lt;sha256&gt;</c> that a VM mounts read-only at /srv. Each image is unpacked once:
/// concurrent requests for the same hash share one unpack, and a finished directory appears
/// atomically (unpacked into a temporary directory, then renamed), so a crash never leaves a
/// half image under a hash.
/// </summary>
/// <remarks>
/// <para>Bounded (<see cref="FunctionImageCacheOptions"/>): an image is listed before it is
/// extracted and refused when the listing exceeds the per-image bounds; the extraction is
/// measured while it runs and after, so a listing that lies does not get further. The cache as a
/// whole is bounded too: room for a new image is reserved before extraction by evicting, least
/// recently used first, images that no <see cref="FunctionImageLease"/> holds.</para>
/// <para>Leases are counted in this process only: the cache directory belongs to one worker.
/// An evicted directory is renamed away under the cache's lock before it is deleted, so a
/// request never sees half of one.</para>
/// </remarks>
public sealed class FunctionImageCache
{
    private const string EvictedPrefix = ".evicted-";
    private const string StagedPrefix = ".staged-";

    // A staged copy lives as long as one local run; older ones were left by a killed run.
    private static readonly TimeSpan StagedLifetime = TimeSpan.FromDays(1);

    private readonly string _root;
    private readonly FunctionImageCacheOptions _options;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, CachedImage> _images = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PendingUnpack> _unpacking = new(StringComparer.Ordinal);
    private long _cachedBytes;
    private long _reservedBytes;
    private long _clock;
    private int _unpacks;

    /// <param name="directory">Cache root; created if missing. Must be readable by the sandbox user.
    /// Images already there are adopted (and evicted if they break the bounds).</param>
    /// <exception cref="ArgumentException">The options are not usable; the message lists every problem.</exception>
    public FunctionImageCache(string directory, FunctionImageCacheOptions? options = null, TimeProvider? timeProvider = null)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("Function images are unpacked with unsquashfs on Linux.");
        }
        _options = options ?? FunctionImageCacheOptions.Default;
        var errors = _options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid image cache options: " + string.Join("; ", errors), nameof(options));
        }
        _time = timeProvider ?? TimeProvider.System;
        _root = Path.GetFullPath(directory);
        if (!Directory.Exists(_root))
        {
            Directory.CreateDirectory(_root);
            File.SetUnixFileMode(_root, ImagePermissions.Directory); // the creation mode would be narrowed by the umask
        }
        AdoptExisting();
    }

    /// <summary>Images unpacked by this instance (not counting ones found already on disk).</summary>
    public int Unpacks => Volatile.Read(ref _unpacks);

    /// <summary>What the cached images take together, as charged against <see cref="FunctionImageCacheOptions.MaxCacheBytes"/>.</summary>
    public long CachedBytes
    {
        get
        {
            lock (_lock)
            {
                return _cachedBytes;
            }
        }
    }

    /// <summary>
    /// The directory of the image whose blob has SHA-256 <paramref name="blobHash"/> (lower-case
    /// hex), held until the lease is disposed. <paramref name="openImage"/> is called only if the
    /// image is not unpacked yet; its bytes must hash to <paramref name="blobHash"/>.
    /// </summary>
    /// <exception cref="InvalidDataException">The bytes do not match the hash, are not a SquashFS
    /// image, hold something a function image may not (device nodes, FIFOs, sockets), or unpack
    /// beyond <see cref="FunctionImageCacheOptions.MaxUnpackedBytes"/> or
    /// <see cref="FunctionImageCacheOptions.MaxEntries"/>; nothing of such an image stays cached.</exception>
    /// <exception cref="ImageCacheFullException">Images in use fill the cache.</exception>
    public async ValueTask<FunctionImageLease> AcquireAsync(
        string blobHash,
        Func<CancellationToken, ValueTask<Stream>> openImage,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(openImage);
        if (blobHash.Length != 64 || !blobHash.All(char.IsAsciiHexDigitLower))
        {
            throw new ArgumentException($"'{blobHash}' is not a lower-case hex SHA-256.", nameof(blobHash));
        }

        Task unpack;
        lock (_lock)
        {
            if (_images.TryGetValue(blobHash, out var image))
            {
                image.Leases++;
                image.LastUsed = ++_clock;
                return new FunctionImageLease(this, blobHash, PathOf(blobHash));
            }

            if (!_unpacking.TryGetValue(blobHash, out var pending))
            {
                pending = new PendingUnpack();
                _unpacking.Add(blobHash, pending);
                pending.Task = Task.Run(() => UnpackOnceAsync(blobHash, openImage, pending), CancellationToken.None);
            }

            // Counted now, turned into a lease when the unpack publishes the image: between the
            // two, nothing can evict it.
            pending.Waiters++;
            unpack = pending.Task;
        }

        try
        {
            // A caller giving up does not abandon the unpack others may be waiting for.
            await unpack.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _ = unpack.ContinueWith(t => Release(blobHash), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            throw;
        }

        return new FunctionImageLease(this, blobHash, PathOf(blobHash));
    }

    /// <summary>
    /// <see cref="AcquireAsync"/> without holding the image: the directory may be evicted as soon
    /// as another image needs the room. For callers that use it at once, such as a one-off run.
    /// </summary>
    /// <exception cref="InvalidDataException">See <see cref="AcquireAsync"/>.</exception>
    public async ValueTask<string> GetDirectoryAsync(
        string blobHash,
        Func<CancellationToken, ValueTask<Stream>> openImage,
        CancellationToken cancellationToken = default)
    {
        using var lease = await AcquireAsync(blobHash, openImage, cancellationToken).ConfigureAwait(false);
        return lease.Directory;
    }

    /// <summary>
    /// For local development: a file is treated as an image blob and unpacked into the cache
    /// under its SHA-256; a directory is copied into the cache (see <see cref="StageDirectoryAsync"/>),
    /// because the sandbox user may not be able to reach it where it is (a private home).
    /// Dispose the result when the run is over.
    /// </summary>
    /// <exception cref="InvalidDataException">Not a usable image, or the directory holds special files or exceeds the bounds.</exception>
    public async ValueTask<StagedFunction> GetDirectoryForPathAsync(string imageOrDirectory, CancellationToken cancellationToken = default)
    {
        if (Directory.Exists(imageOrDirectory))
        {
            return await StageDirectoryAsync(imageOrDirectory, cancellationToken).ConfigureAwait(false);
        }
        string hash;
        var file = File.OpenRead(imageOrDirectory);
        await using (file.ConfigureAwait(false))
        {
            hash = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken).ConfigureAwait(false));
        }
        var lease = await AcquireAsync(
            hash,
            _ => ValueTask.FromResult<Stream>(File.OpenRead(imageOrDirectory)),
            cancellationToken).ConfigureAwait(false);
        return new StagedFunction(lease.Directory, lease.Dispose);
    }

    /// <summary>
    /// Copies a function directory under the cache root with an image's modes (directories 0755,
    /// files 0644 or 0755), so the sandbox user can read it wherever the source lives. Regular
    /// files, directories and symlinks only, within the unpacked-image bounds; deleted on dispose.
    /// </summary>
    /// <exception cref="InvalidDataException">The directory holds special files or exceeds the bounds.</exception>
    public async ValueTask<StagedFunction> StageDirectoryAsync(string directory, CancellationToken cancellationToken = default)
    {
        var source = new DirectoryInfo(Path.GetFullPath(directory));
        // Pipes, sockets and devices enumerate as files (and reading a pipe would block): refuse them first.
        var (found, special) = await ExternalTool.RunAsync("find", [source.FullName, "(", "-type", "p", "-o", "-type", "s", "-o", "-type", "b", "-o", "-type", "c", ")", "-print", "-quit"], cancellationToken).ConfigureAwait(false);
        if (found != 0 || special.Length > 0)
        {
            throw new InvalidDataException(found != 0
                ? $"cannot scan '{source.FullName}': {special.Trim()}"
                : $"'{special.Trim()}' is not a regular file, directory or symlink");
        }

        var staged = Path.Combine(_root, $"{StagedPrefix}{Guid.NewGuid():N}");
        try
        {
            var size = default(ImageSize).Add(0);
            Copy(source, staged, ref size);
            ImagePermissions.Normalize(staged);
            return new StagedFunction(staged, () => Directory.Delete(staged, recursive: true));
        }
        catch
        {
            if (Directory.Exists(staged))
            {
                Directory.Delete(staged, recursive: true);
            }

            throw;
        }
    }

    private void Copy(DirectoryInfo source, string target, ref ImageSize size)
    {
        Directory.CreateDirectory(target);
        foreach (var entry in source.EnumerateFileSystemInfos())
        {
            var destination = Path.Combine(target, entry.Name);
            // Charged by ImageSize's rule (links and directories one block, files their length)
            // and checked before anything is written: a huge file is refused, not copied.
            size = size.Add(entry.LinkTarget is null && entry is FileInfo sized ? sized.Length : 0);
            if (size.Exceeds(_options))
            {
                throw size.Refusal(source.FullName, _options);
            }

            if (entry.LinkTarget is { } link)
            {
                File.CreateSymbolicLink(destination, link);
            }
            else if (entry is DirectoryInfo child)
            {
                Copy(child, destination, ref size);
            }
            else if (entry is FileInfo file)
            {
                file.CopyTo(destination);
            }
            else
            {
                throw new InvalidDataException($"'{entry.FullName}' is not a regular file, directory or symlink");
            }
        }
    }

    /// <summary>The image hash when <paramref name="directory"/> is one of this cache's image directories.</summary>
    public bool TryGetHash(string directory, out string hash)
    {
        hash = Path.GetFileName(directory);
        return Path.GetDirectoryName(directory) == _root && hash.Length == 64 && hash.All(char.IsAsciiHexDigitLower);
    }

    internal void Release(string hash)
    {
        List<string> evicted;
        lock (_lock)
        {
            if (_images.TryGetValue(hash, out var image))
            {
                image.Leases--;
                image.LastUsed = ++_clock;
            }

            // Over the bound only if an image measured more than listed while all else was held.
            evicted = EvictLocked(0);
        }

        DeleteAll(evicted);
    }

    private string PathOf(string hash) => Path.Combine(_root, hash);

    private async Task UnpackOnceAsync(string hash, Func<CancellationToken, ValueTask<Stream>> openImage, PendingUnpack pending)
    {
        List<string> evicted;
        try
        {
            var (size, reserved) = await UnpackAsync(hash, openImage).ConfigureAwait(false);
            lock (_lock)
            {
                // The reservation becomes the image's bytes under one lock: released any earlier,
                // a concurrent unpack could reserve the same room and both would pass the bound.
                _reservedBytes -= reserved;
                _images[hash] = new CachedImage(size.Bytes) { Leases = pending.Waiters, LastUsed = ++_clock };
                _cachedBytes += size.Bytes;
                _unpacking.Remove(hash);
                evicted = EvictLocked(0);
            }
        }
        catch
        {
            // The next request tries again.
            lock (_lock)
            {
                _unpacking.Remove(hash);
            }
            throw;
        }

        DeleteAll(evicted);
    }

    /// <summary>
    /// Unpacks into the image's directory; on success the room reserved for it is still held and
    /// returned with its size, for the caller to turn into the cached image's bytes.
    /// </summary>
    private async Task<(ImageSize Size, long Reserved)> UnpackAsync(string hash, Func<CancellationToken, ValueTask<Stream>> openImage)
    {
        var final = PathOf(hash);
        var work = Path.Combine(_root, $".unpack-{hash}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        long reserved = 0;
        try
        {
            var image = Path.Combine(work, "image.sqfs");
            await ImageExtractor.CopyVerifiedAsync(openImage, image, hash).ConfigureAwait(false);
            var claimed = await ImageExtractor.ListAsync(_options, hash, image).ConfigureAwait(false);
            Reserve(hash, claimed.Bytes);
            reserved = claimed.Bytes;

            var tree = Path.Combine(work, "tree");
            await ImageExtractor.ExtractAsync(_options, _time, hash, image, tree).ConfigureAwait(false);
            ImagePermissions.Normalize(tree); // before measuring: the image's own modes may hide directories
            var size = ImageSize.Measure(tree, _options);
            if (size.Exceeds(_options))
            {
                throw size.Refusal(hash, _options);
            }

            try
            {
                Directory.Move(tree, final);
            }
            catch (IOException) when (Directory.Exists(final))
            {
                // Another process unpacked the same image first; its copy is as good as ours.
            }
            Interlocked.Increment(ref _unpacks);
            var result = (size, reserved);
            reserved = 0;
            return result;
        }
        finally
        {
            if (reserved > 0)
            {
                lock (_lock)
                {
                    _reservedBytes -= reserved;
                }
            }
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>
    /// Makes room for <paramref name="bytes"/> more, evicting idle images least recently used
    /// first; evicts nothing when even that would not make enough.
    /// </summary>
    private void Reserve(string hash, long bytes)
    {
        List<string> evicted;
        lock (_lock)
        {
            var held = _cachedBytes + _reservedBytes - _images.Values.Where(i => i.Leases == 0).Sum(i => i.Bytes);
            if (held + bytes > _options.MaxCacheBytes)
            {
                throw new ImageCacheFullException(
                    $"the worker's image cache is full of images in use; retry when fewer functions run");
            }

            evicted = EvictLocked(bytes);
            _reservedBytes += bytes;
        }

        DeleteAll(evicted);
    }

    /// <summary>
    /// Evicts unleased images, least recently used first, until <paramref name="incoming"/> more
    /// bytes fit (or nothing more can go). Each victim leaves the index and is renamed away under
    /// the lock, so no request can lease it or find it half deleted; the caller deletes the
    /// returned directories outside the lock.
    /// </summary>
    private List<string> EvictLocked(long incoming)
    {
        var evicted = new List<string>();
        while (_cachedBytes + _reservedBytes + incoming > _options.MaxCacheBytes)
        {
            // Not MinBy: over key-value pairs (a struct) it throws when every image is leased.
            KeyValuePair<string, CachedImage>? oldest = null;
            foreach (var entry in _images)
            {
                if (entry.Value.Leases == 0 && (oldest is null || entry.Value.LastUsed < oldest.Value.Value.LastUsed))
                {
                    oldest = entry;
                }
            }
            if (oldest is not { } victim)
            {
                break;
            }

            _images.Remove(victim.Key);
            _cachedBytes -= victim.Value.Bytes;
            var trash = Path.Combine(_root, $"{EvictedPrefix}{victim.Key}-{Guid.NewGuid():N}");
            try
            {
                Directory.Move(PathOf(victim.Key), trash);
                evicted.Add(trash);
            }
            catch (DirectoryNotFoundException)
            {
                // Removed behind the cache's back: nothing to free.
            }
        }

        return evicted;
    }

    private void AdoptExisting()
    {
        var found = new List<(string Hash, DateTime Written, ImageSize Size)>();
        var evicted = new List<string>();
        foreach (var directory in new DirectoryInfo(_root).EnumerateDirectories())
        {
            if (directory.Name.StartsWith(EvictedPrefix, StringComparison.Ordinal))
            {
                evicted.Add(directory.FullName); // a deletion a previous run did not finish
            }
            else if (directory.Name.StartsWith(StagedPrefix, StringComparison.Ordinal) && directory.LastWriteTimeUtc < _time.GetUtcNow().UtcDateTime - StagedLifetime)
            {
                evicted.Add(directory.FullName); // left by a local run that was killed
            }
            else if (directory.LinkTarget is null && TryGetHash(directory.FullName, out var hash))
            {
                var size = ImageSize.Measure(directory.FullName, _options);
                if (size.Exceeds(_options))
                {
                    evicted.Add(directory.FullName); // unpacked under looser bounds
                }
                else
                {
                    found.Add((hash, directory.LastWriteTimeUtc, size));
                }
            }
        }

        lock (_lock)
        {
            foreach (var (hash, _, size) in found.OrderBy(f => f.Written))
            {
                _images[hash] = new CachedImage(size.Bytes) { LastUsed = ++_clock };
                _cachedBytes += size.Bytes;
            }

            evicted.AddRange(EvictLocked(0));
        }

        DeleteAll(evicted);
    }

    private static void DeleteAll(List<string> directories)
    {
        foreach (var directory in directories)
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private sealed class CachedImage(long bytes)
    {
        public long Bytes { get; } = bytes;

        public int Leases { get; set; }

        public long LastUsed { get; set; }
    }

    private sealed class PendingUnpack
    {
        public Task Task { get; set; } = Task.CompletedTask;

        public int Waiters { get; set; }
    }
}
