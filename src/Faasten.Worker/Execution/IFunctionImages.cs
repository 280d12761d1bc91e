namespace Faasten.Worker.Execution;

/// <summary>
/// Where a fresh VM's image comes from: the host directory holding a function image blob's
/// files. The default unpacks each blob once through the sandbox's image cache.
/// </summary>
internal interface IFunctionImages
{
    /// <exception cref="FileNotFoundException">The blob store has no such image.</exception>
    ValueTask<string> GetDirectoryAsync(string imageHash, CancellationToken cancellationToken);
}
