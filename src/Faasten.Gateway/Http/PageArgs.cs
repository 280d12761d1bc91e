using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Faasten.Fs;
using Microsoft.AspNetCore.Http;

namespace Faasten.Gateway.Http;

/// <summary>
/// The <c>cursor</c> and <c>limit</c> of a paged listing. A cursor is opaque to clients
/// (base64url of the last name or facet returned), so they pass back what they were given; the
/// monitor still checks what it decodes to.
/// </summary>
internal static class PageArgs
{
    public static bool TryParse(HttpContext http, out string? after, out int limit, [NotNullWhen(false)] out IResult? error)
    {
        after = null;
        limit = FileSystem.MaxPageSize;
        if (!Args.TryQuery(http, "cursor", required: false, out var cursor, out error)
            || !Args.TryQuery(http, "limit", required: false, out var limitText, out error))
        {
            return false;
        }

        if (limitText is not null
            && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > FileSystem.MaxPageSize))
        {
            error = ApiResults.BadRequest($"'limit' must be an integer from 1 to {FileSystem.MaxPageSize}");
            return false;
        }

        if (cursor is not null)
        {
            after = Decode(cursor);
            if (after is null)
            {
                error = ApiResults.BadRequest("'cursor' is not a cursor this server returned");
                return false;
            }
        }

        return true;
    }

    public static string? Encode(string? next) => next is null ? null : Base64Url.EncodeToString(Encoding.UTF8.GetBytes(next));

    private static string? Decode(string cursor)
    {
        // A name is at most a few hundred characters, a label a few KB; anything longer is not ours.
        if (cursor.Length == 0 || cursor.Length > 64 * 1024 || !Base64Url.IsValid(cursor))
        {
            return null;
        }

        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Base64Url.DecodeFromChars(cursor));
        }
        catch (FormatException)
        {
            return null;
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }
}
