namespace Faasten.Fs.Tests.Storage;

/// <summary>Tests that measure process-wide allocations run with nothing else in parallel.</summary>
[CollectionDefinition(nameof(AllocationSensitiveCollection), DisableParallelization = true)]
public sealed class AllocationSensitiveCollection;
