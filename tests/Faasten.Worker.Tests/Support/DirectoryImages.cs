using System.Collections.Concurrent;
using Faasten.Worker.Execution;

namespace Faasten.Worker.Tests.Support;

/// <summary>Function images as plain directories, registered by image hash.</summary>
internal sealed class DirectoryImages : IFunctionImages
{
    private readonly ConcurrentDictionary<string, string> _directories = new(StringComparer.Ordinal);

    public void Add(string imageHash, string directory) => _directories[imageHash] = directory;

    public ValueTask<string> GetDirectoryAsync(string imageHash, CancellationToken cancellationToken) =>
        _directories.TryGetValue(imageHash, out var directory)
            ? ValueTask.FromResult(directory)
            : throw new FileNotFoundException($"no image {imageHash}");
}
