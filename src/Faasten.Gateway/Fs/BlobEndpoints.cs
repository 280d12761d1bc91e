using System.Buffers;
using Faasten.Fs;
using Faasten.Gateway.Http;
using Faasten.Gateway.Json;
using Faasten.Gateway.Logging;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Faasten.Gateway.Fs;

/// <summary>
/// Blob upload and download, streamed: the request body is piped into the blob store in
/// chunks while it is hashed, never buffered whole, so a blob may be any size.
/// </summary>
internal static class BlobEndpoints
{
    private const int ChunkBytes = 128 * 1024;

    public static void Map(IEndpointRouteBuilder fs)
    {
        fs.MapPost("/blob", UploadAsync)
            .Query(("path", true, "Faasten-FS path, percent-encoded; empty for the root"), ("label", false, "Label of the new object (S,I); default the computation's current label"))
            .BytesBody()
            .Produces<BlobResponse>(StatusCodes.Status201Created)
            .WithSummary("Upload a blob (streamed, any size) and link it at a path");
        fs.MapGet("/blob", DownloadAsync)
            .Query(("path", true, "Faasten-FS path, percent-encoded; empty for the root"))
            .Produces<byte[]>(contentType: "application/octet-stream")
            .WithSummary("Download a blob's bytes (streamed)");
    }

    private static async Task<IResult> UploadAsync(HttpContext http, Computation computation, FileSystem fs, ILoggerFactory logs)
    {
        if (!Args.TryPath(http, out var path, out var error) || !Args.TryQueryLabel(http, "label", out var label, out error))
        {
            return error;
        }

        // Kestrel's global body limit is for buffered routes; this one streams, so it has none.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = null;
        }

        string hash;
        long length;
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        var writer = fs.Blobs.BeginWrite();
        await using (writer)
        {
            try
            {
                int read;
                while ((read = await http.Request.Body.ReadAsync(buffer.AsMemory(0, ChunkBytes), http.RequestAborted)) > 0)
                {
                    await writer.WriteAsync(buffer.AsMemory(0, read), http.RequestAborted);
                }
            }
            catch (BadHttpRequestException e)
            {
                return ApiResults.Error(e.StatusCode, e.StatusCode == StatusCodes.Status413PayloadTooLarge ? ErrorCodes.TooLarge : ErrorCodes.BadRequest, e.Message);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            length = writer.Length;
            hash = await writer.CommitAsync(http.RequestAborted);
        }

        // The content is in the store under its hash either way; the link is what the monitor checks (rule 3).
        var result = await fs.LinkBlobAsync(computation.Context, path, hash, label, http.RequestAborted);
        GatewayLog.BlobUploaded(logs.CreateLogger(typeof(BlobEndpoints).FullName!), hash, length, path, result.Status.ToString());
        return result.IsOk
            ? Results.Json(new BlobResponse(hash, length), GatewayJsonContext.Default.BlobResponse, statusCode: StatusCodes.Status201Created)
            : ApiResults.FromFs(result);
    }

    private static async Task<IResult> DownloadAsync(HttpContext http, Computation computation, FileSystem fs)
    {
        if (!Args.TryPath(http, out var path, out var error))
        {
            return error;
        }

        var result = await fs.OpenBlobAsync(computation.Context, path, http.RequestAborted);
        return result.IsOk ? new BlobContentResult(fs.Blobs, result.Value.Hash, result.Value.Length) : ApiResults.FromFs(result.WithoutValue());
    }
}
