using System.Security.Cryptography;
using Faasten.Fs;
using Faasten.Kernel;
using Faasten.Protocol.V1;
using Google.Protobuf;
using static Faasten.Kernel.Tests.KernelAssert;
using static Faasten.Kernel.Tests.KernelHarness;

namespace Faasten.Kernel.Tests;

public sealed class BlobCallsTests : IAsyncLifetime
{
    private const string AliceHome = "home:<alice,alice>";
    private const int MiB = 1024 * 1024;
    private KernelHarness _h = null!;
    private byte[] _big = null!;
    private string _bigHash = null!;

    public async Task InitializeAsync()
    {
        _h = await CreateAsync();
        _big = RandomNumberGenerator.GetBytes((3 * MiB) + 12345);
        _bigHash = await _h.PutBlobAsync(_big);
        await Ok(_h.Fs.LinkBlobAsync(Super(), $"{AliceHome}:big", _bigHash, L("alice,alice")));
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task OpenReadClose_MultiMiBBlob_StreamsInChunksAndTaints()
    {
        var alice = _h.Kernel("alice");
        var opened = (await OkAsync(alice, new() { BlobOpen = new() { Path = $"{AliceHome}:big" } })).BlobOpen;
        Assert.Equal((ulong)_big.Length, opened.Size);
        Assert.Equal(_bigHash, opened.Hash);
        Assert.Equal("alice,T", await LabelAsync(alice));

        using var copy = new MemoryStream();
        while (true)
        {
            // Asking for more than a chunk gets at most a chunk.
            var chunk = (await OkAsync(alice, new() { BlobRead = new() { Handle = opened.Handle, Offset = (ulong)copy.Length, Length = 4 * MiB } })).BlobRead.Data;
            Assert.True(chunk.Length <= MiB);
            if (chunk.IsEmpty)
            {
                break;
            }

            chunk.WriteTo(copy);
        }

        Assert.Equal(_big, copy.ToArray());
        await OkAsync(alice, new() { BlobClose = new() { Handle = opened.Handle } });
        Assert.Equal(0, alice.OpenBlobHandles);
        await FailsAsync(alice, new() { BlobRead = new() { Handle = opened.Handle, Length = 10 } }, CloudCallErrorCode.BadRequest);
    }

    [Fact]
    public async Task Read_AtAnyOffset_ReturnsThoseBytes()
    {
        var alice = _h.Kernel("alice");
        var handle = (await OkAsync(alice, new() { BlobOpen = new() { Path = $"{AliceHome}:big" } })).BlobOpen.Handle;
        var late = await OkAsync(alice, new() { BlobRead = new() { Handle = handle, Offset = 2 * MiB, Length = 100 } });
        var early = await OkAsync(alice, new() { BlobRead = new() { Handle = handle, Offset = 7, Length = 100 } });
        var tail = await OkAsync(alice, new() { BlobRead = new() { Handle = handle, Offset = (ulong)_big.Length - 5, Length = 100 } });
        var past = await OkAsync(alice, new() { BlobRead = new() { Handle = handle, Offset = ulong.MaxValue, Length = 100 } });

        Assert.Equal(_big.AsSpan(2 * MiB, 100).ToArray(), late.BlobRead.Data.ToByteArray());
        Assert.Equal(_big.AsSpan(7, 100).ToArray(), early.BlobRead.Data.ToByteArray());
        Assert.Equal(_big.AsSpan(_big.Length - 5).ToArray(), tail.BlobRead.Data.ToByteArray());
        Assert.True(past.BlobRead.Data.IsEmpty);
    }

    [Fact]
    public async Task Open_Missing_NotFound() =>
        await FailsAsync(_h.Kernel("alice"), new() { BlobOpen = new() { Path = $"{AliceHome}:nope" } }, CloudCallErrorCode.NotFound);

    [Fact]
    public async Task Open_Directory_WrongKind() =>
        await FailsAsync(_h.Kernel("alice"), new() { BlobOpen = new() { Path = AliceHome } }, CloudCallErrorCode.WrongKind);

    [Fact]
    public async Task CreateWriteFinalize_StreamsAndLinksAtPathWithCurrentLabel()
    {
        var alice = _h.Kernel("alice", "alice,alice");
        var handle = (await OkAsync(alice, new() { BlobCreate = new() { Path = $"{AliceHome}:out" } })).BlobCreate.Handle;
        for (var offset = 0; offset < 3 * MiB; offset += MiB)
        {
            await OkAsync(alice, new() { BlobWrite = new() { Handle = handle, Data = ByteString.CopyFrom(_big, offset, MiB) } });
        }

        var hash = (await OkAsync(alice, new() { BlobFinalize = new() { Handle = handle, Data = ByteString.CopyFrom(_big, 3 * MiB, _big.Length - (3 * MiB)) } })).BlobFinalize.Hash;

        Assert.Equal(_bigHash, hash);
        var stat = await _h.Fs.StatAsync(Super(), $"{AliceHome}:out");
        Assert.Equal((Fs.Objects.ObjectKind.Blob, L("alice,alice")), (stat.Value.Kind, stat.Value.Label));
        Assert.Equal(0, alice.OpenBlobHandles);
    }

    [Fact]
    public async Task Finalize_DefaultLabel_IsTheLabelAtFinalizeTime_EndorsedWithThePrivilege()
    {
        var alice = _h.Kernel("alice/thumb");
        var handle = (await OkAsync(alice, new() { BlobCreate = new() { Path = "home:<alice,T>:out" } })).BlobCreate.Handle;
        await OkAsync(alice, new() { TaintWithLabel = new() { Label = "alice,T" } });
        await OkAsync(alice, new() { BlobFinalize = new() { Handle = handle, Data = ByteString.CopyFromUtf8("derived") } });
        var stat = await _h.Fs.StatAsync(Super(), "home:<alice,T>:out");
        Assert.Equal(L("alice,alice/thumb"), stat.Value.Label);
    }

    [Fact]
    public async Task Finalize_ExplicitLabel_IsUsed()
    {
        var alice = _h.Kernel("alice");
        var handle = (await OkAsync(alice, new() { BlobCreate = new() { Path = $"{AliceHome}:out", Label = "alice,alice" } })).BlobCreate.Handle;
        await OkAsync(alice, new() { BlobFinalize = new() { Handle = handle, Data = ByteString.CopyFromUtf8("x") } });
        Assert.Equal(L("alice,alice"), (await _h.Fs.StatAsync(Super(), $"{AliceHome}:out")).Value.Label);
    }

    [Fact]
    public async Task Finalize_CallerTaintedAboveTheDirectory_LabelDeniedAndNothingLinked()
    {
        var alice = _h.Kernel("alice");
        var handle = (await OkAsync(alice, new() { BlobCreate = new() { Path = $"{AliceHome}:out" } })).BlobCreate.Handle;
        await OkAsync(alice, new() { TaintWithLabel = new() { Label = "bob,T" } });
        await FailsAsync(alice, new() { BlobFinalize = new() { Handle = handle, Data = ByteString.CopyFromUtf8("x") } }, CloudCallErrorCode.LabelDenied);
        Assert.Equal(Fs.FsStatus.NotFound, (await _h.Fs.StatAsync(Super(), $"{AliceHome}:out")).Status);
    }

    [Fact]
    public async Task Finalize_WithoutPath_ReturnsHashOnly_ThenLinkBlobLinksIt()
    {
        var alice = _h.Kernel("alice");
        var handle = (await OkAsync(alice, new() { BlobCreate = new() })).BlobCreate.Handle;
        var hash = (await OkAsync(alice, new() { BlobFinalize = new() { Handle = handle, Data = ByteString.CopyFromUtf8("abc") } })).BlobFinalize.Hash;
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData("abc"u8)), hash);

        await OkAsync(alice, new() { FsLinkBlob = new() { Path = $"{AliceHome}:abc", Blob = hash, Label = "alice,alice" } });
        Assert.Equal(L("alice,alice"), (await _h.Fs.StatAsync(Super(), $"{AliceHome}:abc")).Value.Label);
    }

    [Fact]
    public async Task LinkBlob_UnknownHash_NotFound() =>
        await FailsAsync(_h.Kernel("alice"), new() { FsLinkBlob = new() { Path = $"{AliceHome}:x", Blob = new string('0', 64) } }, CloudCallErrorCode.NotFound);

    [Fact]
    public async Task LinkBlob_ASourceThatIsNoPath_BadPath() =>
        await FailsAsync(_h.Kernel("alice"), new() { FsLinkBlob = new() { Path = $"{AliceHome}:x", Blob = "a::b" } }, CloudCallErrorCode.BadPath);

    [Fact]
    public async Task LinkBlob_IntoOthersDirectory_LabelDenied()
    {
        var bob = _h.Kernel("bob");
        var hash = await CreateUnlinkedAsync(bob, "bob's");
        await FailsAsync(bob, new() { FsLinkBlob = new() { Path = $"{AliceHome}:x", Blob = hash } }, CloudCallErrorCode.LabelDenied);
    }

    [Fact]
    public async Task LinkBlob_MalformedLabel_BadLabel() =>
        await FailsAsync(_h.Kernel("alice"), new() { FsLinkBlob = new() { Path = $"{AliceHome}:x", Blob = $"{AliceHome}:big", Label = "a|" } }, CloudCallErrorCode.BadLabel);

    [Fact]
    public async Task LinkBlob_AHashThisInvocationCreated_Links()
    {
        var alice = _h.Kernel("alice");
        var hash = await CreateUnlinkedAsync(alice, "made here");

        await OkAsync(alice, new() { FsLinkBlob = new() { Path = $"{AliceHome}:made", Blob = hash } });

        var opened = await _h.Fs.OpenBlobAsync(Super(), $"{AliceHome}:made");
        Assert.Equal(hash, opened.Value.Hash);
    }

    [Fact]
    public async Task LinkBlob_ByPath_TaintsWithTheSourceAndRelabelsOnlyAsFarAsThatAllows()
    {
        var alice = _h.Kernel("alice");
        await OkAsync(alice, new() { FsLinkBlob = new() { Path = "home:<alice|bob,alice>:shared", Blob = $"{AliceHome}:big", Label = "alice|bob,alice" } });
        Assert.Equal("alice,T", await LabelAsync(alice));
        Assert.Equal(_bigHash, (await _h.Fs.OpenBlobAsync(Super(), "home:<alice|bob,alice>:shared")).Value.Hash);

        // bob's privilege cannot write alice's secrecy down to public.
        var bob = _h.Kernel("bob");
        await FailsAsync(bob, new() { FsLinkBlob = new() { Path = "home:<T,bob>:loot", Blob = $"{AliceHome}:big", Label = "T,bob" } }, CloudCallErrorCode.LabelDenied);
    }

    /// <summary>
    /// Issue 12 item 2, as the attack: bob's function knows the hash of alice's blob (here: her
    /// 3 MiB upload; in the report, sha256("vote=yes")) and links it into his own directory to
    /// read it. A hash it did not create is no capability: it is read as a path, and the answer
    /// is the same as for content that does not exist anywhere.
    /// </summary>
    [Fact]
    public async Task Attack_LinkingAlicesBlobByItsHash_FailsExactlyLikeAHashOfNothing()
    {
        var answers = new List<string>();
        foreach (var hash in new[] { _bigHash, Convert.ToHexStringLower(SHA256.HashData("nothing stored"u8)) })
        {
            var bob = _h.Kernel("bob");
            var reply = await bob.HandleAsync(new() { FsLinkBlob = new() { Path = "home:<T,bob>:loot", Blob = hash, Label = "T,bob" } }, default);
            answers.Add($"{reply.Error?.Code} {reply.Error?.Message.Replace(hash, "H", StringComparison.Ordinal)} {await LabelAsync(bob)}");
        }

        Assert.StartsWith(nameof(CloudCallErrorCode.NotFound), answers[0], StringComparison.Ordinal);
        Assert.Equal(answers[0], answers[1]);
        Assert.Equal(FsStatus.NotFound, (await _h.Fs.StatAsync(Super(), "home:<T,bob>:loot")).Status);
    }

    /// <summary>A hash remembered by one invocation is no capability in the next (another kernel).</summary>
    [Fact]
    public async Task Attack_AHashCreatedByAnotherInvocation_IsNotACapability()
    {
        var first = _h.Kernel("bob");
        var hash = await CreateUnlinkedAsync(first, "stored at any label, no check");

        await FailsAsync(_h.Kernel("bob"), new() { FsLinkBlob = new() { Path = "home:<T,bob>:x", Blob = hash } }, CloudCallErrorCode.NotFound);
    }

    private static async Task<string> CreateUnlinkedAsync(CloudCallKernel kernel, string content)
    {
        var handle = (await OkAsync(kernel, new() { BlobCreate = new() })).BlobCreate.Handle;
        return (await OkAsync(kernel, new() { BlobFinalize = new() { Handle = handle, Data = ByteString.CopyFromUtf8(content) } })).BlobFinalize.Hash;
    }

    [Fact]
    public async Task Create_MalformedPath_BadPathBeforeAnyWrite() =>
        await FailsAsync(_h.Kernel("alice"), new() { BlobCreate = new() { Path = "a::b" } }, CloudCallErrorCode.BadPath);

    [Fact]
    public async Task Create_MalformedLabel_BadLabel() =>
        await FailsAsync(_h.Kernel("alice"), new() { BlobCreate = new() { Path = $"{AliceHome}:x", Label = "T,T,T" } }, CloudCallErrorCode.BadLabel);

    [Fact]
    public async Task Create_LabelWithoutPath_BadRequest() =>
        await FailsAsync(_h.Kernel("alice"), new() { BlobCreate = new() { Label = "T,T" } }, CloudCallErrorCode.BadRequest);

    [Fact]
    public async Task Handles_PastTheCap_TooLarge()
    {
        var alice = _h.Kernel("alice", options: new CloudCallKernelOptions { MaxOpenBlobs = 2 });
        await OkAsync(alice, new() { BlobOpen = new() { Path = $"{AliceHome}:big" } });
        var created = (await OkAsync(alice, new() { BlobCreate = new() })).BlobCreate.Handle;
        await FailsAsync(alice, new() { BlobOpen = new() { Path = $"{AliceHome}:big" } }, CloudCallErrorCode.TooLarge);
        await FailsAsync(alice, new() { BlobCreate = new() }, CloudCallErrorCode.TooLarge);

        await OkAsync(alice, new() { BlobClose = new() { Handle = created } });
        await OkAsync(alice, new() { BlobCreate = new() });
    }

    [Fact]
    public async Task Write_PastMaxBlobSize_TooLargeAndAbandoned()
    {
        var alice = _h.Kernel("alice", options: new CloudCallKernelOptions { MaxBlobBytes = 10 });
        var handle = (await OkAsync(alice, new() { BlobCreate = new() })).BlobCreate.Handle;
        await OkAsync(alice, new() { BlobWrite = new() { Handle = handle, Data = ByteString.CopyFromUtf8("0123456789") } });
        await FailsAsync(alice, new() { BlobFinalize = new() { Handle = handle, Data = ByteString.CopyFromUtf8("!") } }, CloudCallErrorCode.TooLarge);
        await FailsAsync(alice, new() { BlobWrite = new() { Handle = handle, Data = ByteString.CopyFromUtf8("x") } }, CloudCallErrorCode.BadRequest);
        Assert.Equal(0, alice.OpenBlobHandles);
    }

    [Fact]
    public async Task ReadOnWriteHandle_AndWriteOnReadHandle_BadRequest()
    {
        var alice = _h.Kernel("alice");
        var reading = (await OkAsync(alice, new() { BlobOpen = new() { Path = $"{AliceHome}:big" } })).BlobOpen.Handle;
        var writing = (await OkAsync(alice, new() { BlobCreate = new() })).BlobCreate.Handle;
        await FailsAsync(alice, new() { BlobRead = new() { Handle = writing, Length = 1 } }, CloudCallErrorCode.BadRequest);
        await FailsAsync(alice, new() { BlobWrite = new() { Handle = reading, Data = ByteString.CopyFromUtf8("x") } }, CloudCallErrorCode.BadRequest);
        await FailsAsync(alice, new() { BlobFinalize = new() { Handle = reading } }, CloudCallErrorCode.BadRequest);
        await FailsAsync(alice, new() { BlobClose = new() { Handle = 999 } }, CloudCallErrorCode.BadRequest);
    }

    [Fact]
    public async Task Dispose_AbandonsUnfinishedWritesAndClosesReaders()
    {
        var alice = _h.Kernel("alice");
        await OkAsync(alice, new() { BlobOpen = new() { Path = $"{AliceHome}:big" } });
        var handle = (await OkAsync(alice, new() { BlobCreate = new() })).BlobCreate.Handle;
        await OkAsync(alice, new() { BlobWrite = new() { Handle = handle, Data = ByteString.CopyFromUtf8("unfinished") } });

        await alice.DisposeAsync();

        Assert.Equal(0, alice.OpenBlobHandles);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_h.BlobRoot, "tmp")));
        Assert.Null(await _h.Blobs.GetLengthAsync(Convert.ToHexStringLower(SHA256.HashData("unfinished"u8))));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await alice.HandleAsync(new() { GetCurrentLabel = new() }, CancellationToken.None));
    }
}
