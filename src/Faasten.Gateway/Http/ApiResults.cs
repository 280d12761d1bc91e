using Faasten.Fs;
using Faasten.Gateway.Json;
using Microsoft.AspNetCore.Http;

namespace Faasten.Gateway.Http;

/// <summary>Error responses and the one mapping from monitor outcomes to HTTP statuses (docs/http-api.md).</summary>
internal static class ApiResults
{
    public const string WithheldMessage = "response withheld by label";

    public static IResult Error(int status, string code, string message) =>
        Results.Json(new ErrorBody(message, code), GatewayJsonContext.Default.ErrorBody, statusCode: status);

    public static IResult Withheld() => Error(StatusCodes.Status403Forbidden, ErrorCodes.Withheld, WithheldMessage);

    public static IResult BadRequest(string message) => Error(StatusCodes.Status400BadRequest, ErrorCodes.BadRequest, message);

    public static IResult BadLabel(string message) => Error(StatusCodes.Status400BadRequest, ErrorCodes.BadLabel, message);

    /// <summary>A label operation of the request's computation would exceed <see cref="Labels.LabelLimits"/>.</summary>
    public static IResult LabelTooLarge(string message) => Error(StatusCodes.Status400BadRequest, ErrorCodes.LabelTooLarge, message);

    public static IResult BadPath(string message) => Error(StatusCodes.Status400BadRequest, ErrorCodes.BadPath, message);

    public static IResult BadJson(string message) => Error(StatusCodes.Status400BadRequest, ErrorCodes.BadJson, message);

    public static IResult TooLarge(long limit) => Error(StatusCodes.Status413PayloadTooLarge, ErrorCodes.TooLarge, $"request body is larger than {limit} bytes");

    public static IResult Unauthorized(string message) => Error(StatusCodes.Status401Unauthorized, ErrorCodes.Unauthorized, message);

    public static IResult NotFound(string message) => Error(StatusCodes.Status404NotFound, ErrorCodes.NotFound, message);

    /// <summary>A failed monitor operation as its status; the message is released like any body (rule 7).</summary>
    public static IResult FromFs(FsResult result) => result.Status switch
    {
        FsStatus.NotFound => Error(StatusCodes.Status404NotFound, ErrorCodes.NotFound, result.Message ?? "not found"),
        FsStatus.NotADirectory => Error(StatusCodes.Status400BadRequest, ErrorCodes.BadPath, result.Message ?? "not a directory"),
        FsStatus.WrongKind => Error(StatusCodes.Status400BadRequest, ErrorCodes.BadRequest, result.Message ?? "wrong kind of object"),
        FsStatus.LabelDenied => Error(StatusCodes.Status403Forbidden, ErrorCodes.LabelDenied, result.Message ?? "denied by label"),
        FsStatus.PrivilegeDenied => Error(StatusCodes.Status403Forbidden, ErrorCodes.PrivilegeDenied, result.Message ?? "denied by privilege"),
        FsStatus.Exists => Error(StatusCodes.Status409Conflict, ErrorCodes.Exists, result.Message ?? "already exists"),
        FsStatus.BadPath => Error(StatusCodes.Status400BadRequest, ErrorCodes.BadPath, result.Message ?? "bad path"),
        FsStatus.BadRequest => Error(StatusCodes.Status400BadRequest, ErrorCodes.BadRequest, result.Message ?? "bad request"),
        _ => throw new InvalidOperationException($"no HTTP mapping for {result.Status}"),
    };

    /// <summary>201 with no body, or the failure.</summary>
    public static IResult Created(FsResult result) => result.IsOk ? Results.StatusCode(StatusCodes.Status201Created) : FromFs(result);

    /// <summary>200 with no body, or the failure.</summary>
    public static IResult Done(FsResult result) => result.IsOk ? Results.Ok() : FromFs(result);
}
