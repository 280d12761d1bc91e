using Faasten.Fs.Storage;
using Microsoft.AspNetCore.Http;

namespace Faasten.Gateway.Fs;

/// <summary>
/// Streams a blob's bytes. The content is opened only when the result executes — after the
/// release check — so a withheld response never touches it.
/// </summary>
internal sealed class BlobContentResult(IBlobStore blobs, string hash, long length) : IResult
{
    private const int ChunkBytes = 128 * 1024;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var stream = await blobs.OpenReadAsync(hash, httpContext.RequestAborted).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"blob {hash} is linked in the file system but missing from the blob store");
        await using (stream.ConfigureAwait(false))
        {
            var response = httpContext.Response;
            response.ContentType = "application/octet-stream";
            response.ContentLength = length;
            response.Headers["Faasten-Blob"] = hash;
            await stream.CopyToAsync(response.Body, ChunkBytes, httpContext.RequestAborted).ConfigureAwait(false);
        }
    }
}
