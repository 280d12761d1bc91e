namespace Faasten.Tests.Common.Tutorial;

/// <summary>A JPEG's pixel dimensions, read from its start-of-frame segment.</summary>
public static class JpegSize
{
    public static (int Width, int Height) Read(ReadOnlySpan<byte> jpeg)
    {
        if (jpeg.Length < 4 || jpeg[0] != 0xFF || jpeg[1] != 0xD8)
        {
            throw new FormatException("Not a JPEG: no SOI marker.");
        }
        var i = 2;
        while (i + 9 < jpeg.Length)
        {
            if (jpeg[i] != 0xFF)
            {
                throw new FormatException($"Expected a marker at offset {i}.");
            }
            var marker = jpeg[i + 1];
            var length = (jpeg[i + 2] << 8) | jpeg[i + 3];
            // SOF0–SOF15, except DHT (C4), JPG (C8) and DAC (CC), which share the range.
            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
            {
                return ((jpeg[i + 7] << 8) | jpeg[i + 8], (jpeg[i + 5] << 8) | jpeg[i + 6]);
            }
            i += 2 + length;
        }
        throw new FormatException("No start-of-frame segment.");
    }
}
