namespace Faasten.Fs;

/// <summary>
/// Expected outcomes of a file-system operation. Denials are values, not exceptions, so the
/// kernel and the gateway map them to CloudCall errors and HTTP statuses in one place.
/// </summary>
public enum FsStatus
{
    Ok,
    NotFound,
    NotADirectory,
    WrongKind,
    LabelDenied,
    PrivilegeDenied,
    Exists,
    BadPath,
    BadRequest,
}
