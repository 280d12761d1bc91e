namespace Faasten.Host.Commands;

/// <summary>Exit codes of <c>faasten run</c>.</summary>
internal enum RunExitCode
{
    /// <summary>handle() returned; its result is on stdout.</summary>
    Success = 0,

    /// <summary>The function raised, timed out, ran out of memory, crashed or failed to load.</summary>
    FunctionFailed = 1,

    /// <summary>A bad argument, or the data directory or the sandbox cannot be used.</summary>
    BadInput = 2,
}
