namespace Faasten.Gateway.Logging;

/// <summary>Every gateway log event id in one place, so ids stay unique and greppable.</summary>
internal static class EventIds
{
    public const int UnhandledException = 1;
    public const int ResponseWithheld = 2;
    public const int BackendUnavailable = 3;
    public const int TokenRejected = 10;
    public const int LoginSucceeded = 11;
    public const int LoginFailed = 12;
    public const int TokenDelegated = 13;
    public const int LoginThrottled = 14;
    public const int InvocationCompleted = 20;
    public const int InvocationSubmitted = 21;
    public const int BlobUploaded = 30;
    public const int BlobUploadRefused = 31;
    public const int HookAccepted = 40;
    public const int HookRejected = 41;
    public const int ScheduleFired = 42;
    public const int ScheduleRunFailed = 43;
    // 50–55 and 60–63: the host's lifecycle and collection events (Faasten.Hosting.HostingLog).
}
