using System.Buffers.Binary;
using Faasten.Protocol.Framing;
using Faasten.Protocol.V1;
using Google.Protobuf;

namespace Faasten.Protocol.Tests.Framing;

public sealed class FrameReaderTests
{
    private static CloudCallRequest Read(string path, ulong id) =>
        new() { Id = id, FsRead = new FsRead { Path = path } };

    private static async Task<byte[]> FramesAsync(params IMessage[] messages)
    {
        var stream = new MemoryStream();
        var writer = new FrameWriter(stream);
        foreach (var message in messages)
        {
            await writer.WriteAsync(message);
        }
        return stream.ToArray();
    }

    private static byte[] Frame(uint length, ReadOnlySpan<byte> body)
    {
        var bytes = new byte[4 + body.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, length);
        body.CopyTo(bytes.AsSpan(4));
        return bytes;
    }

    [Fact]
    public async Task ReadAsync_FramesWrittenByWriter_RoundTripThenNullAtEnd()
    {
        var sent = new[] { Read("home:<alice,alice>:photo", 1), Read("~:x", 2), new CloudCallRequest { Id = 3, Endorse = new Endorse() } };
        using var reader = new FrameReader(new MemoryStream(await FramesAsync(sent)));

        foreach (var expected in sent)
        {
            Assert.Equal(expected, await reader.ReadAsync(CloudCallRequest.Parser));
        }
        Assert.Null(await reader.ReadAsync(CloudCallRequest.Parser));
    }

    [Fact]
    public async Task ReadAsync_SecondFrameAlreadyBuffered_CompletesSynchronously()
    {
        using var reader = new FrameReader(new TrickleStream(await FramesAsync(Read("a", 1), Read("b", 2)), 1024));

        Assert.Equal("a", (await reader.ReadAsync(CloudCallRequest.Parser))!.FsRead.Path);
        var second = reader.ReadAsync(CloudCallRequest.Parser);

        Assert.True(second.IsCompletedSuccessfully);
        Assert.Equal("b", (await second)!.FsRead.Path);
    }

    [Fact]
    public async Task ReadAsync_LargeFrameArrivingInSmallPieces_IsReassembled()
    {
        var data = new byte[3 * 1024 * 1024 + 17];
        new Random(7).NextBytes(data);
        var message = new CloudCallResponse { Id = 9, BlobRead = new BlobReadResult { Data = ByteString.CopyFrom(data) } };
        using var reader = new FrameReader(new TrickleStream(await FramesAsync(message, Read("after", 10)), 64 * 1024 + 3));

        var received = await reader.ReadAsync(CloudCallResponse.Parser);

        Assert.Equal(data, received!.BlobRead.Data.ToByteArray());
        Assert.Equal("after", (await reader.ReadAsync(CloudCallRequest.Parser))!.FsRead.Path);
    }

    [Fact]
    public async Task ReadAsync_EmptyFrame_IsAnEmptyMessage()
    {
        using var reader = new FrameReader(new MemoryStream(Frame(0, [])));

        var message = await reader.ReadAsync(GuestMessage.Parser);

        Assert.Equal(GuestMessage.KindOneofCase.None, message!.KindCase);
    }

    [Fact]
    public async Task ReadAsync_LengthAboveLimit_ThrowsFrameTooLarge()
    {
        using var reader = new FrameReader(new MemoryStream(Frame(FrameLimits.MaxFrameSize + 1, [1, 2, 3])));

        var ex = await Assert.ThrowsAsync<ProtocolException>(() => reader.ReadAsync(GuestMessage.Parser).AsTask());

        Assert.Equal(ProtocolError.FrameTooLarge, ex.Error);
        Assert.Equal($"Frame length {FrameLimits.MaxFrameSize + 1} exceeds the {FrameLimits.MaxFrameSize}-byte limit.", ex.Message);
    }

    [Fact]
    public async Task ReadAsync_CustomLimit_IsEnforcedBeforeTheBodyArrives()
    {
        // Only the header exists: the reader must not wait for 1,000 body bytes that exceed its limit.
        using var reader = new FrameReader(new TrickleStream(Frame(1000, []), 4), maxFrameSize: 999);

        var ex = await Assert.ThrowsAsync<ProtocolException>(() => reader.ReadAsync(GuestMessage.Parser).AsTask());

        Assert.Equal(ProtocolError.FrameTooLarge, ex.Error);
    }

    [Fact]
    public async Task ReadAsync_StreamEndsInsideHeader_ThrowsTruncated()
    {
        using var reader = new FrameReader(new MemoryStream([5, 0]));

        var ex = await Assert.ThrowsAsync<ProtocolException>(() => reader.ReadAsync(GuestMessage.Parser).AsTask());

        Assert.Equal(ProtocolError.Truncated, ex.Error);
        Assert.Equal("Stream ended inside a frame header (2 of 4 bytes).", ex.Message);
    }

    [Fact]
    public async Task ReadAsync_StreamEndsInsideBody_ThrowsTruncated()
    {
        var whole = await FramesAsync(Read("home:alice", 1));
        using var reader = new FrameReader(new TrickleStream(whole[..^3], 5));

        var ex = await Assert.ThrowsAsync<ProtocolException>(() => reader.ReadAsync(CloudCallRequest.Parser).AsTask());

        Assert.Equal(ProtocolError.Truncated, ex.Error);
        Assert.Equal($"Stream ended inside a frame ({whole.Length - 7} of {whole.Length - 4} body bytes).", ex.Message);
    }

    [Fact]
    public async Task ReadAsync_GarbageBody_ThrowsMalformed()
    {
        // 0xFF... is an unterminated varint tag: not protobuf at all.
        using var reader = new FrameReader(new MemoryStream(Frame(6, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF])));

        var ex = await Assert.ThrowsAsync<ProtocolException>(() => reader.ReadAsync(GuestMessage.Parser).AsTask());

        Assert.Equal(ProtocolError.Malformed, ex.Error);
        Assert.StartsWith("Frame of 6 bytes is not a valid GuestMessage: ", ex.Message);
    }

    [Fact]
    public async Task ReadAsync_RandomBytes_AlwaysThrowProtocolExceptionOrEndCleanly()
    {
        var random = new Random(42);
        for (var i = 0; i < 500; i++)
        {
            var bytes = new byte[random.Next(0, 64)];
            random.NextBytes(bytes);
            using var reader = new FrameReader(new MemoryStream(bytes), maxFrameSize: 1024);
            try
            {
                while (await reader.ReadAsync(GuestMessage.Parser) is not null)
                {
                }
            }
            catch (ProtocolException)
            {
            }
        }
    }

    [Fact]
    public async Task WriteAsync_MessageAboveLimit_ThrowsBeforeWriting()
    {
        var stream = new MemoryStream();
        var writer = new FrameWriter(stream, maxFrameSize: 10);
        var message = new FsWrite { Path = "p", Data = ByteString.CopyFrom(new byte[32]) };

        var ex = await Assert.ThrowsAsync<ProtocolException>(() => writer.WriteAsync(message).AsTask());

        Assert.Equal(ProtocolError.FrameTooLarge, ex.Error);
        Assert.Equal(0, stream.Length);
    }

    [Fact]
    public async Task WriteAsync_Frame_IsLittleEndianLengthThenBody()
    {
        var message = Read("x", 1);

        var bytes = await FramesAsync(message);

        Assert.Equal((uint)message.CalculateSize(), BinaryPrimitives.ReadUInt32LittleEndian(bytes));
        Assert.Equal(message.ToByteArray(), bytes[4..]);
    }
}
