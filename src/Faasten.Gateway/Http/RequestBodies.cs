using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;

namespace Faasten.Gateway.Http;

/// <summary>
/// Reads bounded request bodies. Over the limit is 413 before a byte is buffered when the
/// length is declared, or as soon as the count passes it when the body is chunked.
/// </summary>
internal static class RequestBodies
{
    public static async ValueTask<(BodyBuffer? Body, IResult? Error)> ReadAsync(HttpContext http, int limit)
    {
        var request = http.Request;
        if (request.ContentLength > limit)
        {
            return (null, ApiResults.TooLarge(limit));
        }

        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(request.ContentLength ?? 4096, 256, limit + 1L));
        var length = 0;
        var handedOut = false;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min(buffer.Length * 2L, limit + 1L));
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }

                var read = await request.Body.ReadAsync(buffer.AsMemory(length), http.RequestAborted).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                length += read;
                if (length > limit)
                {
                    return (null, ApiResults.TooLarge(limit));
                }
            }

            handedOut = true;
            return (new BodyBuffer(buffer, length), null);
        }
        catch (BadHttpRequestException e)
        {
            return (null, e.StatusCode == StatusCodes.Status413PayloadTooLarge ? ApiResults.TooLarge(limit) : ApiResults.BadRequest(e.Message));
        }
        finally
        {
            if (!handedOut)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    public static async ValueTask<(T? Value, IResult? Error)> ReadJsonAsync<T>(HttpContext http, JsonTypeInfo<T> info, int limit)
        where T : class
    {
        var (body, error) = await ReadAsync(http, limit).ConfigureAwait(false);
        if (body is null)
        {
            return (null, error);
        }

        using (body)
        {
            if (body.Length == 0)
            {
                return (null, ApiResults.BadJson("the request body is empty; expected a JSON object"));
            }

            try
            {
                var value = JsonSerializer.Deserialize(body.Memory.Span, info);
                return value is null ? (null, ApiResults.BadJson("expected a JSON object, found null")) : (value, null);
            }
            catch (JsonException e)
            {
                return (null, ApiResults.BadJson(Describe(e)));
            }
        }
    }

    // System.Text.Json appends its own location (and sometimes .NET type names) to messages; keep one clear line.
    private static string Describe(JsonException e)
    {
        var message = e.Message;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut >= 0)
        {
            message = message[..cut];
        }

        message = message.Replace("Faasten.Gateway.Json.", "", StringComparison.Ordinal);
        var where = e.LineNumber is { } line ? $" at {e.Path ?? "$"} (line {line + 1}, byte {e.BytePositionInLine + 1})" : "";
        return $"bad JSON{where}: {message}";
    }
}
