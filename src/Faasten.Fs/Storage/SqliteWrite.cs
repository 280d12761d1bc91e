namespace Faasten.Fs.Storage;

/// <summary>
/// One mutation waiting for the writer loop. The result is a version for
/// <see cref="SqliteWriteKind.Put"/>, otherwise 1 (applied) or 0 (not applied); it is
/// published only after the batch holding it has committed.
/// </summary>
internal sealed class SqliteWrite(SqliteWriteKind kind, string key, byte[]? value, long? expectedVersion, CancellationToken cancellationToken)
{
    public SqliteWriteKind Kind { get; } = kind;

    public string Key { get; } = key;

    public byte[]? Value { get; } = value;

    public long? ExpectedVersion { get; } = expectedVersion;

    public CancellationToken CancellationToken { get; } = cancellationToken;

    public long Result { get; set; }

    /// <summary>True once the writer skipped the write because it was cancelled before it ran.</summary>
    public bool Skipped { get; set; }

    // Continuations must not run on the writer loop, or one slow caller would stall every commit.
    public TaskCompletionSource<long> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
