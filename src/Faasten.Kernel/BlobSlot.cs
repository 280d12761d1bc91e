namespace Faasten.Kernel;

/// <summary>An entry of an invocation's blob handle table.</summary>
internal abstract class BlobSlot : IAsyncDisposable
{
    public abstract ValueTask DisposeAsync();
}
