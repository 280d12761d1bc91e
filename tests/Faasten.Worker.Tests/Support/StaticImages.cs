using Faasten.Worker.Execution;

namespace Faasten.Worker.Tests.Support;

/// <summary>Every image is one directory (fake VMs never look at it).</summary>
internal sealed class StaticImages(string directory) : IFunctionImages
{
    public int Requests { get; private set; }

    public ValueTask<string> GetDirectoryAsync(string imageHash, CancellationToken cancellationToken)
    {
        Requests++;
        return ValueTask.FromResult(directory);
    }
}
