namespace Faasten.Fs;

/// <summary>An opened blob entry: the content address to read from the blob store.</summary>
public readonly record struct BlobHandle(string Hash, long Length);
