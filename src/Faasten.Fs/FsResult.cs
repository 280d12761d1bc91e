namespace Faasten.Fs;

/// <summary>The outcome of an operation without a value.</summary>
public readonly record struct FsResult(FsStatus Status, string? Message = null)
{
    public static FsResult Ok => default;

    public bool IsOk => Status == FsStatus.Ok;

    public static FsResult Fail(FsStatus status, string message) => new(status, message);

    public FsResult<T> As<T>() => new(Status, default, Message);

    public override string ToString() => IsOk ? "ok" : $"{Status}: {Message}";
}

/// <summary>The outcome of an operation that yields a value when it succeeds.</summary>
public readonly record struct FsResult<T>(FsStatus Status, T? Value, string? Message = null)
{
    public bool IsOk => Status == FsStatus.Ok;

    public static FsResult<T> Ok(T value) => new(FsStatus.Ok, value);

    public static implicit operator FsResult<T>(FsResult result) => result.As<T>();

    public FsResult WithoutValue() => new(Status, Message);

    public override string ToString() => IsOk ? $"ok: {Value}" : $"{Status}: {Message}";
}
