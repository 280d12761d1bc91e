using System.Security.Cryptography;

namespace Faasten.Sandbox.Images;

/// <summary>The steps of unpacking one image blob: copy and verify, list and check, extract under watch.</summary>
internal static class ImageExtractor
{
    public static async Task CopyVerifiedAsync(Func<CancellationToken, ValueTask<Stream>> openImage, string path, string hash)
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
            throw ImageRefusal.Create($"Image blob content hashes to {actual}, not {hash}.");
        }
    }

    /// <summary>
    /// What the image claims to hold, refused if it holds special files or claims more than the
    /// bounds allow. Cheap: reads only the inode and directory tables, and stops reading at the
    /// first entry past the bounds (a listing may be far longer than the image).
    /// </summary>
    public static async Task<ImageSize> ListAsync(FunctionImageCacheOptions options, string hash, string image)
    {
        var claimed = default(ImageSize);
        var (listed, error) = await ExternalTool.RunLinesAsync(options.UnsquashfsPath, ["-lln", image], line =>
        {
            if (line.Length == 0)
            {
                return;
            }
            ImagePermissions.CheckListed(line, hash);
            claimed = claimed.AddListed(line, hash);
            if (claimed.Exceeds(options))
            {
                throw claimed.Refusal(hash, options);
            }
        }, CancellationToken.None).ConfigureAwait(false);
        if (listed != 0)
        {
            throw new InvalidDataException($"Image {hash} is not a valid SquashFS image: {error.Trim()}");
        }
        return claimed;
    }

    /// <summary>
    /// Extracts into <paramref name="tree"/>, measuring it every
    /// <see cref="FunctionImageCacheOptions.UnpackCheckInterval"/> and killing unsquashfs once it
    /// passes the bounds: the listing was within them, but whatever made it wrong gets no further.
    /// </summary>
    public static async Task ExtractAsync(FunctionImageCacheOptions options, TimeProvider time, string hash, string image, string tree)
    {
        using var stop = new CancellationTokenSource();
        var exceeded = default(ImageSize?);
        var watch = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(options.UnpackCheckInterval, time, stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                if (TryMeasure(tree, options) is { } size && size.Exceeds(options))
                {
                    exceeded = size;
                    await stop.CancelAsync().ConfigureAwait(false);
                }
            }
        });

        int exitCode;
        string output;
        try
        {
            (exitCode, output) = await ExternalTool.RunAsync(
                options.UnsquashfsPath, ["-no-progress", "-quiet", "-no-xattrs", "-dest", tree, image], stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (exceeded is not null)
        {
            throw exceeded.Value.Refusal(hash, options);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await watch.ConfigureAwait(false);
        }

        if (exceeded is { } size)
        {
            throw size.Refusal(hash, options);
        }
        if (exitCode != 0)
        {
            throw new InvalidDataException($"Image {hash} is not a valid SquashFS image: {output.Trim()}");
        }
    }

    // The tree changes under the walk (and may not exist yet): a failed walk waits for the next.
    private static ImageSize? TryMeasure(string tree, FunctionImageCacheOptions options)
    {
        try
        {
            return Directory.Exists(tree) ? ImageSize.Measure(tree, options) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
