namespace Faasten.Host.Commands;

/// <summary>Exit codes of <c>faasten serve</c>.</summary>
internal enum ServeExitCode
{
    /// <summary>Stopped on request (Ctrl-C, SIGTERM) after draining.</summary>
    Success = 0,

    /// <summary>The server could not start: the address is taken, the data directory unusable.</summary>
    Failed = 1,

    /// <summary>An option is malformed (e.g. --listen).</summary>
    BadInput = 2,
}
