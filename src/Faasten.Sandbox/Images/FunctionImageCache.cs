using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Faasten.Sandbox.Images;

/// <summary>
/// Worker-side cache of unpacked function images: a SquashFS image blob becomes a directory
/// <c>&lt;cache&gt;/&lt;sha256&gt;</c> that a VM mounts read-only at /srv. Each image is unpacked once:
/// concurrent requests for the same hash share one unpack, and a finished directory appears
/// atomically (unpacked into a temporary directory, then renamed), so a crash never leaves a
/// half image under a hash.
/// </summary>
public sealed class FunctionImageCache
{
    private readonly string _root;
    private readonly string _unsquashfs;
    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _unpacking = new();
    private int _unpacks;

    /// <param name="directory">Cache root; created if missing. Must be readable by the sandbox user.</param>
    public FunctionImageCache(string directory, string unsquashfsPath = "/usr/bin/unsquashfs")
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("Function images are unpacked with unsquashfs on Linux.");
        }
        _root = Path.GetFullPath(directory);
        _unsquashfs = unsquashfsPath;
        if (!Directory.Exists(_root))
        {
            Directory.CreateDirectory(_root);
            File.SetUnixFileMode(_root, ImagePermissions.Directory); // the creation mode would be narrowed by the umask
        }
    }

    /// <summary>Images unpacked by this instance (not counting ones found already on disk).</summary>
    public int Unpacks => Volatile.Read(ref _unpacks);

    /// <summary>
    /// The directory of the image whose blob has SHA-256 <paramref name="blobHash"/> (lower-case
    /// hex). <paramref name="openImage"/> is called only if the image is not unpacked yet; its bytes
    /// must hash to <paramref name="blobHash"/>.
    /// </summary>
    /// <exception cref="InvalidDataException">The bytes do not match the hash, are not a SquashFS
    /// image, or hold something a function image may not (device nodes, FIFOs, sockets).</exception>
    public async ValueTask<string> GetDirectoryAsync(
        string blobHash,
        Func<CancellationToken, ValueTask<Stream>> openImage,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(openImage);
        if (blobHash.Length != 64 || !blobHash.All(char.IsAsciiHexDigitLower))
        {
            throw new ArgumentException($"'{blobHash}' is not a lower-case hex SHA-256.", nameof(blobHash));
        }
        var final = Path.Combine(_root, blobHash);
        if (Directory.Exists(final))
        {
            return final;
        }

        var unpack = _unpacking.GetOrAdd(blobHash, h => new Lazy<Task<string>>(() => UnpackOnceAsync(h, openImage)));
        // A caller giving up does not abandon the unpack others may be waiting for.
        return await unpack.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// For local development: a directory is used as the image as it is; a file is treated as an
    /// image blob and unpacked into the cache under its SHA-256.
    /// </summary>
    public async ValueTask<string> GetDirectoryForPathAsync(string imageOrDirectory, CancellationToken cancellationToken = default)
    {
        if (Directory.Exists(imageOrDirectory))
        {
            return Path.TrimEndingDirectorySeparator(Path.GetFullPath(imageOrDirectory));
        }
        string hash;
        var file = File.OpenRead(imageOrDirectory);
        await using (file.ConfigureAwait(false))
        {
            hash = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken).ConfigureAwait(false));
        }
        return await GetDirectoryAsync(
            hash,
            _ => ValueTask.FromResult<Stream>(File.OpenRead(imageOrDirectory)),
            cancellationToken).ConfigureAwait(false);
    }

    private async Task<string> UnpackOnceAsync(string hash, Func<CancellationToken, ValueTask<Stream>> openImage)
    {
        try
        {
            return await UnpackAsync(hash, openImage).ConfigureAwait(false);
        }
        finally
        {
            // Success: the directory now exists. Failure: the next request tries again.
            _unpacking.TryRemove(hash, out _);
        }
    }

    private async Task<string> UnpackAsync(string hash, Func<CancellationToken, ValueTask<Stream>> openImage)
    {
        var final = Path.Combine(_root, hash);
        var work = Path.Combine(_root, $".unpack-{hash}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        try
        {
            var image = Path.Combine(work, "image.sqfs");
            await CopyVerifiedAsync(openImage, image, hash).ConfigureAwait(false);

            var (listed, listing) = await ExternalTool.RunAsync(
                _unsquashfs, ["-lln", image], CancellationToken.None).ConfigureAwait(false);
            if (listed != 0)
            {
                throw new InvalidDataException($"Image {hash} is not a valid SquashFS image: {listing.Trim()}");
            }
            ImagePermissions.CheckListing(listing, hash);

            var tree = Path.Combine(work, "tree");
            var (exitCode, output) = await ExternalTool.RunAsync(
                _unsquashfs, ["-no-progress", "-quiet", "-no-xattrs", "-dest", tree, image], CancellationToken.None).ConfigureAwait(false);
            if (exitCode != 0)
            {
                throw new InvalidDataException($"Image {hash} is not a valid SquashFS image: {output.Trim()}");
            }
            ImagePermissions.Normalize(tree);

            try
            {
                Directory.Move(tree, final);
            }
            catch (IOException) when (Directory.Exists(final))
            {
                // Another process unpacked the same image first; its copy is as good as ours.
            }
            Interlocked.Increment(ref _unpacks);
            return final;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static async Task CopyVerifiedAsync(Func<CancellationToken, ValueTask<Stream>> openImage, string path, string hash)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var source = await openImage(CancellationToken.None).ConfigureAwait(false);
        await using (source.ConfigureAwait(false))
        {
            var target = File.Create(path);
            await using (target.ConfigureAwait(false))
            {
                var buffer = new byte[81920];
                int read;
                while ((read = await source.ReadAsync(buffer).ConfigureAwait(false)) > 0)
                {
                    sha.AppendData(buffer, 0, read);
                    await target.WriteAsync(buffer.AsMemory(0, read)).ConfigureAwait(false);
                }
            }
        }
        var actual = Convert.ToHexStringLower(sha.GetHashAndReset());
        if (actual != hash)
        {
            throw new InvalidDataException($"Image blob content hashes to {actual}, not {hash}.");
        }
    }
}
