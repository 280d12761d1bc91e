namespace Faasten.Fs.Storage;

/// <summary>A stored value with the version that compare-and-swap checks against.</summary>
public readonly record struct VersionedValue(byte[] Value, long Version);
