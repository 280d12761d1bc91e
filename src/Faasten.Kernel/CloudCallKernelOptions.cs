using Faasten.Protocol.Framing;

namespace Faasten.Kernel;

/// <summary>Limits of one invocation's kernel. The defaults suit the embedded deployment.</summary>
public sealed record CloudCallKernelOptions
{
    public static CloudCallKernelOptions Default { get; } = new();

    /// <summary>The most a blob_read returns; larger requests get a shorter reply (the protocol allows it).</summary>
    public int MaxBlobChunkBytes { get; init; } = FrameLimits.MaxChunkSize;

    /// <summary>Blob handles (open for reading or being written) one invocation may hold at once.</summary>
    public int MaxOpenBlobs { get; init; } = 64;

    /// <summary>
    /// Blobs one invocation remembers having created, so it may link them by hash (rule 8).
    /// Past this many, it links further ones by the path it created them at.
    /// </summary>
    public int MaxCreatedBlobs { get; init; } = 10_000;

    /// <summary>The largest blob a function may create.</summary>
    public long MaxBlobBytes { get; init; } = 4L * 1024 * 1024 * 1024;

    /// <summary>
    /// How deep a chain of function-to-function calls may get. Bounds runaway recursion, which
    /// would otherwise fill the queue with invocations that wait on each other.
    /// </summary>
    public int MaxInvokeDepth { get; init; } = 32;

    /// <summary>
    /// The largest sync invoke result handed to a function: it travels in one frame, with room
    /// left for the envelope.
    /// </summary>
    public int MaxInvokeResultBytes { get; init; } = FrameLimits.MaxFrameSize - (64 * 1024);

    public TimeSpan ServiceTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The largest service response body handed to a function; it must fit in one frame with
    /// room for headers.
    /// </summary>
    public int MaxServiceResponseBytes { get; init; } = 8 * 1024 * 1024;

    /// <summary>Every problem with these options; empty when usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (MaxBlobChunkBytes < 1 || MaxBlobChunkBytes > FrameLimits.MaxChunkSize)
        {
            errors.Add($"{nameof(MaxBlobChunkBytes)} must be 1–{FrameLimits.MaxChunkSize}");
        }

        if (MaxOpenBlobs < 1 || MaxCreatedBlobs < 1 || MaxBlobBytes < 1)
        {
            errors.Add($"{nameof(MaxOpenBlobs)}, {nameof(MaxCreatedBlobs)} and {nameof(MaxBlobBytes)} must be positive");
        }

        if (MaxInvokeDepth < 1)
        {
            errors.Add($"{nameof(MaxInvokeDepth)} must be at least 1");
        }

        if (MaxInvokeResultBytes < 1 || MaxInvokeResultBytes > FrameLimits.MaxFrameSize - (64 * 1024))
        {
            errors.Add($"{nameof(MaxInvokeResultBytes)} must be 1–{FrameLimits.MaxFrameSize - (64 * 1024)} (one frame, with room for its envelope)");
        }

        if (ServiceTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{nameof(ServiceTimeout)} must be positive");
        }

        if (MaxServiceResponseBytes < 1 || MaxServiceResponseBytes > FrameLimits.MaxFrameSize - (64 * 1024))
        {
            errors.Add($"{nameof(MaxServiceResponseBytes)} must be 1–{FrameLimits.MaxFrameSize - (64 * 1024)} (one frame, with room for headers)");
        }

        return errors;
    }
}
