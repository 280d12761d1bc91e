using Faasten.Fs;

namespace Faasten.Gateway.Invocations;

/// <summary>
/// Refuses, at registration, a gate image that is no function image (a SquashFS file starts
/// with the magic <c>hsqs</c>): otherwise every invocation of the gate would fail to load.
/// The blob was just read through a path the caller resolved (rule 1 tainted the request
/// with its label), so the answer tells the caller only about content it may read, and it
/// is released only if that label flows to the caller (rule 7).
/// </summary>
internal static class FunctionImageCheck
{
    private static ReadOnlySpan<byte> SquashFsMagic => "hsqs"u8;

    public static async ValueTask<string?> CheckAsync(FileSystem fs, string hash, CancellationToken ct)
    {
        await using var stream = await fs.Blobs.OpenReadAsync(hash, ct);
        var head = new byte[SquashFsMagic.Length];
        var read = stream is null ? 0 : await stream.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct);
        return read == head.Length && head.AsSpan().SequenceEqual(SquashFsMagic)
            ? null
            : "'blob' is not a function image (a SquashFS image made by 'fstn build')";
    }
}
