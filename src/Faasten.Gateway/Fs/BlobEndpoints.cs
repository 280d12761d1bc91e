using System.Buffers;
using Faasten.Fs;
using Faasten.Fs.Storage;
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
/// chunks while it is hashed, never buffered whole, up to <see cref="GatewayOptions.MaxBlobUploadBytes"/>
/// and the caller's quota (<see cref="UploadQuota"/>).
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
            .WithSummary("Upload a blob (streamed, up to the configured limit and the caller's quota) and link it at a path");
        fs.MapGet("/blob", DownloadAsync)
            .Query(("path", true, "Faasten-FS path, percent-encoded; empty for the root"))
            .Produces<byte[]>(contentType: "application/octet-stream")
            .WithSummary("Download a blob's bytes (streamed)");
    }

    // Order matters: nothing about the file system is read before the size check (it reveals
    // nothing), the link is checked before the body is read, and the quota is charged before
    // each chunk is written, so a refused upload stores and charges nothing.
    private static async Task<IResult> UploadAsync(HttpContext http, Computation computation, FileSystem fs, GatewayOptions options, UploadQuota quota, ILoggerFactory logs)
    {
        if (!Args.TryPath(http, out var path, out var error) || !Args.TryQueryLabel(http, "label", out var label, out error))
        {
            return error;
        }

        var logger = logs.CreateLogger(typeof(BlobEndpoints).FullName!);
        var max = options.MaxBlobUploadBytes;
        if (http.Request.ContentLength > max)
        {
            return Refused(logger, path, ErrorCodes.TooLarge, TooLarge(max));
        }

        // Kestrel's global body limit is for buffered routes. This one counts content bytes
        // itself as they stream (Kestrel's count of a chunked body includes the chunk framing,
        // so it would refuse bodies within the limit); what a refused sender still sends is
        // discarded by Kestrel's bounded drain, never stored.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
        {
            bodyLimit.MaxRequestBodySize = null;
        }

        // Rules 2 and 3 before the body. When the traversal raised the computation's label
        // beyond what the caller may see, the answer is withheld whatever the check said and
        // the body is refused too: storing (and charging for) it only when the hidden check
        // passed would tell the caller its outcome.
        var check = await fs.CheckCanCreateAsync(computation.Context, path, label, http.RequestAborted);
        if (!check.IsOk || !computation.CanRelease)
        {
            return Refused(logger, path, check.Status.ToString(), check.IsOk ? ApiResults.Withheld() : ApiResults.FromFs(check));
        }

        var charge = new UploadCharge(quota, UploadQuota.AccountOf(computation.Caller), quota.LimitOf(computation.Caller));
        var stored = 0L;
        try
        {
            if (http.Request.ContentLength is { } declared && !await charge.CoverAsync(declared, http.RequestAborted))
            {
                return Refused(logger, path, ErrorCodes.QuotaExceeded, await QuotaExceededAsync(quota, charge, http.RequestAborted));
            }

            var writer = fs.Blobs.BeginWrite();
            await using (writer)
            {
                if (await StreamBodyAsync(http, writer, quota, charge, max) is { } refusal)
                {
                    return Refused(logger, path, refusal.Code, refusal.Result);
                }

                // The last word before the commit, after the monitor's own re-check: the label must
                // still be releasable, for the same reason as before the body.
                var length = writer.Length;
                var result = await fs.CommitBlobAsync(
                    computation.Context,
                    path,
                    writer,
                    label,
                    () =>
                    {
                        stored = computation.CanRelease ? length : 0;
                        return computation.CanRelease;
                    },
                    http.RequestAborted);
                GatewayLog.BlobUploaded(logger, result.Value ?? "", length, path, result.Status.ToString());
                return result.IsOk
                    ? Results.Json(new BlobResponse(result.Value!, length), GatewayJsonContext.Default.BlobResponse, statusCode: StatusCodes.Status201Created)
                    : ApiResults.FromFs(result.WithoutValue());
            }
        }
        finally
        {
            // A link that lost a race after the commit keeps its charge: the content is stored.
            await charge.SettleAsync(stored);
        }
    }

    // Pipes the body into the writer chunk by chunk; null when it all arrived, else the refusal.
    private static async Task<(string Code, IResult Result)?> StreamBodyAsync(HttpContext http, IBlobWriter writer, UploadQuota quota, UploadCharge charge, long max)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            var total = 0L;
            int read;
            while ((read = await http.Request.Body.ReadAsync(buffer.AsMemory(0, ChunkBytes), http.RequestAborted)) > 0)
            {
                total += read;
                if (total > max)
                {
                    return (ErrorCodes.TooLarge, TooLarge(max));
                }

                if (!await charge.CoverAsync(total, http.RequestAborted))
                {
                    return (ErrorCodes.QuotaExceeded, await QuotaExceededAsync(quota, charge, http.RequestAborted));
                }

                await writer.WriteAsync(buffer.AsMemory(0, read), http.RequestAborted);
            }

            return null;
        }
        catch (BadHttpRequestException e)
        {
            var tooLarge = e.StatusCode == StatusCodes.Status413PayloadTooLarge;
            return (tooLarge ? ErrorCodes.TooLarge : ErrorCodes.BadRequest, tooLarge ? TooLarge(max) : ApiResults.Error(e.StatusCode, ErrorCodes.BadRequest, e.Message));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static IResult TooLarge(long max) =>
        ApiResults.Error(StatusCodes.Status413PayloadTooLarge, ErrorCodes.TooLarge, $"a blob upload is at most {max} bytes; nothing was stored");

    private static async Task<IResult> QuotaExceededAsync(UploadQuota quota, UploadCharge charge, CancellationToken ct)
    {
        var used = await quota.UsedAsync(charge.Account, ct) - charge.Reserved;
        var whose = charge.Account == "anonymous" ? "anonymous callers'" : "your";
        return ApiResults.Error(StatusCodes.Status413PayloadTooLarge, ErrorCodes.QuotaExceeded, $"the upload would pass {whose} blob storage quota of {charge.Limit} bytes ({Math.Max(0, used)} used); nothing was stored");
    }

    private static IResult Refused(ILogger logger, string path, string reason, IResult result)
    {
        GatewayLog.BlobUploadRefused(logger, path, reason);
        return result;
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
