using System.Diagnostics;
using Faasten.Sandbox.Tests.Support;
using Kind = Faasten.Protocol.V1.CloudCallRequest.CallOneofCase;

namespace Faasten.Sandbox.Tests.Runtime;

/// <summary>The seed tutorial's gen-thumb (typos fixed) against a fake kernel: PIL reads a blob through the channel.</summary>
public sealed class GenThumbTests(ForkedSandboxFixture sandbox) : IClassFixture<ForkedSandboxFixture>
{
    private const string GenThumb =
        """
        from PIL import Image
        from io import BytesIO

        def handle(event, cloudcall):
            download_path = event['input']
            output_dir = event['output_dir']
            sizes = event['sizes']
            made = []
            with cloudcall.fs_openblob(download_path) as blob:
                img = Image.open(blob)
                for size in sizes:
                    img.thumbnail(tuple(size))
                    buff = BytesIO()
                    img.save(buff, format='JPEG')
                    thumbnail_name = '-'.join(str(s) for s in size) + '.jpeg'
                    upload_path = ':'.join([output_dir, thumbnail_name])
                    with cloudcall.create_blob(upload_path) as newblob:
                        digest = newblob.finalize(buff.getvalue())
                    made.append([upload_path, digest, list(img.size)])
            return made
        """;

    [Fact]
    public async Task GenThumb_OpensTheBlobWithPil_AndUploadsThumbnails()
    {
        var jpeg = await MakeJpegAsync(640, 480);
        var kernel = new FakeKernel();
        kernel.Blobs["home:<alice,alice>:photos:cat.jpg"] = jpeg;

        var result = OutcomeAssert.Ok(await sandbox.RunOnceAsync(
            GenThumb,
            """{"input": "home:<alice,alice>:photos:cat.jpg", "output_dir": "home:<alice,alice>:thumbs", "sizes": [[200, 200], [64, 64]]}""",
            kernel));

        var made = result.EnumerateArray().ToArray();
        Assert.Equal(2, made.Length);
        Assert.Equal("home:<alice,alice>:thumbs:200-200.jpeg", made[0][0].GetString());
        Assert.Equal("[200,150]", made[0][2].GetRawText());
        Assert.Equal("[64,48]", made[1][2].GetRawText());
        foreach (var thumbnail in made)
        {
            var bytes = kernel.Finalized[thumbnail[1].GetString()!];
            Assert.Equal(new byte[] { 0xFF, 0xD8, 0xFF }, bytes[..3]);
        }
        Assert.Equal(
            ["home:<alice,alice>:thumbs:200-200.jpeg", "home:<alice,alice>:thumbs:64-64.jpeg"],
            kernel.Calls(Kind.BlobCreate).Select(c => c.BlobCreate.Path));
        // PIL's many small reads were batched into few CloudCalls.
        Assert.InRange(kernel.Calls(Kind.BlobRead).Count(), 1, 4);
    }

    /// <summary>A real JPEG, made by the runtime's own interpreter and PIL.</summary>
    internal static async Task<byte[]> MakeJpegAsync(int width, int height)
    {
        var info = new ProcessStartInfo("/usr/bin/python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList =
            {
                "-c",
                $"import sys, io\nfrom PIL import Image\nb = io.BytesIO()\n" +
                $"Image.linear_gradient('L').resize(({width}, {height})).convert('RGB').save(b, 'JPEG')\n" +
                "sys.stdout.buffer.write(b.getvalue())",
            },
        };
        using var process = Process.Start(info)!;
        using var output = new MemoryStream();
        await process.StandardOutput.BaseStream.CopyToAsync(output);
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, await process.StandardError.ReadToEndAsync());
        return output.ToArray();
    }
}
