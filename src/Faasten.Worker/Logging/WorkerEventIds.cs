namespace Faasten.Worker.Logging;

/// <summary>Every event id the worker logs, in one place (5000–5099).</summary>
internal static class WorkerEventIds
{
    public const int InvocationFinished = 5000;
    public const int InvocationRefused = 5001;
    public const int InvocationForbidden = 5002;
    public const int InvocationCompleted = 5003;
    public const int VmStarted = 5010;
    public const int VmReused = 5011;
    public const int VmDestroyed = 5012;
    public const int VmEvicted = 5013;
    public const int VmStartFailed = 5014;
    public const int VmExpired = 5015;
    public const int SpareStartFailed = 5018;
    public const int FunctionPrepared = 5016;
    public const int FunctionPrepareFailed = 5017;
    public const int NestedCallOutOfMemory = 5020;
    public const int WaitingForMemory = 5021;
    public const int FunctionTooLarge = 5022;
    public const int RunnerFailed = 5030;
}
