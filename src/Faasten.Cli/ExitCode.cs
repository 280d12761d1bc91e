namespace Faasten.Cli;

/// <summary>
/// fstn's exit codes. Distinct so scripts can tell a refusal from a typo, an outage or an
/// expired login without parsing text.
/// </summary>
internal enum ExitCode
{
    Success = 0,

    /// <summary>The server refused or failed: denied by label or privilege, not found, exists, function error.</summary>
    Failed = 1,

    /// <summary>Usage error or bad input: unknown command, missing argument, malformed label or JSON, unreadable local file.</summary>
    BadInput = 2,

    /// <summary>The server could not be reached (connection refused, DNS, timeout, dropped connection).</summary>
    Unreachable = 3,

    /// <summary>Authentication failed: wrong user or password, or a missing, expired or forged token.</summary>
    Unauthorized = 4,
}
