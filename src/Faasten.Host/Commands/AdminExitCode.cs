namespace Faasten.Host.Commands;

/// <summary>Exit codes of <c>faasten admin</c>.</summary>
internal enum AdminExitCode
{
    Success = 0,

    /// <summary>The user already exists (useradd) or does not (token).</summary>
    Conflict = 1,

    /// <summary>A malformed name, privilege, TTL or an empty password.</summary>
    BadInput = 2,

    /// <summary>A store the configuration names is unreachable or refused (PostgreSQL, S3): retry when it is back.</summary>
    Unavailable = 3,
}
