using System.Buffers.Binary;

namespace Faasten.Host.Tests.Run;

/// <summary>Reads a JPEG's dimensions from its start-of-frame segment.</summary>
internal static class JpegSize
{
    public static (int Width, int Height) Read(ReadOnlySpan<byte> jpeg)
    {
        Assert.True(jpeg.Length > 4 && jpeg[0] == 0xFF && jpeg[1] == 0xD8, "not a JPEG (no SOI marker)");
        var i = 2;
        while (i + 9 < jpeg.Length)
        {
            Assert.Equal(0xFF, jpeg[i]);
            var marker = jpeg[i + 1];
            var length = BinaryPrimitives.ReadUInt16BigEndian(jpeg[(i + 2)..]);

            // SOF0..SOF15, except DHT (C4), JPG (C8) and DAC (CC) which share the range.
            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
            {
                return (BinaryPrimitives.ReadUInt16BigEndian(jpeg[(i + 7)..]), BinaryPrimitives.ReadUInt16BigEndian(jpeg[(i + 5)..]));
            }

            i += 2 + length;
        }

        Assert.Fail("no start-of-frame segment in the JPEG");
        return default;
    }
}
