using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace Faasten.Cli.Http;

/// <summary>A request's outcome: the decoded value on success, else the error to report.</summary>
internal sealed class ApiResult<T>
{
    private ApiResult(T? value, ApiError? error, HttpStatusCode status, string? label)
    {
        Value = value;
        Error = error;
        Status = status;
        Label = label;
    }

    public T? Value { get; }

    public ApiError? Error { get; }

    public HttpStatusCode Status { get; }

    /// <summary>The <c>Faasten-Label</c> header: the label the response was released at.</summary>
    public string? Label { get; }

    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Error is null;

    public static ApiResult<T> Success(T value, HttpStatusCode status, string? label) => new(value, null, status, label);

    public static ApiResult<T> Failure(ApiError error, HttpStatusCode status = 0) => new(default, error, status, null);

    public ApiResult<TOther> Cast<TOther>() =>
        IsSuccess ? throw new InvalidOperationException("Only a failure can change type.") : ApiResult<TOther>.Failure(Error, Status);
}
