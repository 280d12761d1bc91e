using Faasten.Fs;
using Faasten.Protocol;
using Faasten.Protocol.V1;

namespace Faasten.Kernel;

/// <summary>Error replies of the kernel: monitor outcomes map 1:1 onto CloudCall error codes.</summary>
internal static class KernelErrors
{
    public static CloudCallErrorCode ToCode(FsStatus status) => status switch
    {
        FsStatus.NotFound => CloudCallErrorCode.NotFound,
        FsStatus.NotADirectory => CloudCallErrorCode.NotADirectory,
        FsStatus.WrongKind => CloudCallErrorCode.WrongKind,
        FsStatus.LabelDenied => CloudCallErrorCode.LabelDenied,
        FsStatus.PrivilegeDenied => CloudCallErrorCode.PrivilegeDenied,
        FsStatus.Exists => CloudCallErrorCode.Exists,
        FsStatus.BadPath => CloudCallErrorCode.BadPath,
        FsStatus.BadRequest => CloudCallErrorCode.BadRequest,
        _ => CloudCallErrorCode.Internal,
    };

    /// <summary>The reply for a failed monitor operation; the monitor's messages name paths and labels, never data.</summary>
    public static CloudCallResponse From(FsResult result) =>
        CloudCallReplies.Error(ToCode(result.Status), result.Message ?? result.Status.ToString());

    public static CloudCallResponse BadRequest(string message) => CloudCallReplies.Error(CloudCallErrorCode.BadRequest, message);

    public static CloudCallResponse TooLarge(string message) => CloudCallReplies.Error(CloudCallErrorCode.TooLarge, message);

    /// <summary>Shortens caller-supplied text quoted in a message, so replies stay small.</summary>
    public static string Quote(string? text) => text is null ? "" : text.Length <= 120 ? text : text[..120] + "…";
}
