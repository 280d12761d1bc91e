namespace Faasten.Host.Commands;

/// <summary>Exit codes of <c>faasten admin</c>.</summary>
internal enum AdminExitCode
{
    Success = 0,

    /// <summary>The user already exists (useradd) or does not (token).</summary>
    Conflict = 1,

    /// <summary>A malformed name, privilege, TTL or an empty password.</summary>
    BadInput = 2,
}
