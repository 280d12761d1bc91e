namespace Faasten.Gateway.Http;

/// <summary>The machine codes of error bodies (docs/http-api.md); clients switch on these, not on messages.</summary>
internal static class ErrorCodes
{
    public const string BadRequest = "bad_request";
    public const string BadPath = "bad_path";
    public const string BadLabel = "bad_label";
    public const string LabelTooLarge = "label_too_large";
    public const string BadJson = "bad_json";
    public const string Unauthorized = "unauthorized";
    public const string LabelDenied = "label_denied";
    public const string PrivilegeDenied = "privilege_denied";
    public const string Forbidden = "forbidden";
    public const string Withheld = "withheld";
    public const string NotFound = "not_found";
    public const string MethodNotAllowed = "method_not_allowed";
    public const string Exists = "exists";
    public const string TooLarge = "too_large";
    public const string QuotaExceeded = "quota_exceeded";
    public const string QueueFull = "queue_full";
    public const string Replayed = "replayed";
    public const string RateLimited = "rate_limited";
    public const string FunctionError = "function_error";
    public const string Crashed = "crashed";
    public const string Timeout = "timeout";
    public const string Internal = "internal";

    /// <summary>A shared store or the queue is unreachable for now (503); retry.</summary>
    public const string Unavailable = "unavailable";
}
