namespace Faasten.Protocol.Framing;

/// <summary>Sizes fixed by the channel protocol (proto/faasten/v1/cloudcall.proto).</summary>
internal static class FrameLimits
{
    /// <summary>The 4-byte little-endian length that precedes every frame body.</summary>
    public const int HeaderSize = 4;

    /// <summary>
    /// Largest frame body either side accepts. Large enough for any JSON payload or result a
    /// gateway admits; bulk bytes travel in <see cref="MaxChunkSize"/> pieces instead.
    /// </summary>
    public const int MaxFrameSize = 16 * 1024 * 1024;

    /// <summary>Largest data chunk a blob read, blob write or file call carries per frame.</summary>
    public const int MaxChunkSize = 1024 * 1024;
}
