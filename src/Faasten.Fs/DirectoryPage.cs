using Faasten.Fs.Objects;

namespace Faasten.Fs;

/// <summary>One page of a directory listing; <see cref="Next"/> is the name to continue after, null on the last page.</summary>
public sealed record DirectoryPage(IReadOnlyList<DirectoryEntry> Entries, string? Next);
