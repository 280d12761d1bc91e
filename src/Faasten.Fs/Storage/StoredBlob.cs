namespace Faasten.Fs.Storage;

/// <summary>A blob in the store and when it was last committed.</summary>
public readonly record struct StoredBlob(string Hash, DateTimeOffset CommittedAt);
