namespace Faasten.Fs.Objects;

/// <summary>A name in a directory, the object it links and that object's kind.</summary>
public readonly record struct DirectoryEntry(string Name, ObjectId Id, ObjectKind Kind);
