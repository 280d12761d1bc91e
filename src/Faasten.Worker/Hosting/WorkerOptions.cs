using Faasten.Kernel;
using Faasten.Sandbox.Images;
using Faasten.Worker.Scheduling;

namespace Faasten.Worker.Hosting;

/// <summary>How a worker host runs invocations. Immutable; check with <see cref="Validate"/>.</summary>
public sealed record WorkerOptions
{
    /// <summary>Invocations running at once. A function blocked on a sync call lends its slot to the callee.</summary>
    public int Slots { get; init; } = Math.Max(2, Environment.ProcessorCount * 2);

    /// <summary>Requests waiting for a slot; one more is answered QueueFull at once.</summary>
    public int QueueCapacity { get; init; } = 1024;

    /// <summary>Requests one invoker may have waiting (its share of the queue); see <see cref="SchedulerOptions.MaxQueuedPerInvoker"/>.</summary>
    public int MaxQueuedPerInvoker { get; init; } = 128;

    /// <summary>Top-level invocations one invoker may have running; see <see cref="SchedulerOptions.MaxRunningPerInvoker"/>.</summary>
    public int MaxRunningPerInvoker { get; init; }

    /// <summary>How long an async result stays fetchable after it completes.</summary>
    public TimeSpan ResultRetention { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Sum of the memory limits of all live VMs, idle ones included. Idle VMs are evicted
    /// least-recently-used to make room (only those a request's label flows to); a nested sync
    /// call that does not fit is refused rather than exceed it (see the VM pool).
    /// </summary>
    public int MemoryBudgetMb { get; init; } = 4096;

    /// <summary>
    /// How long a VM may stay idle before it is destroyed. Expiry is by time alone (never by
    /// who asks next), so it reveals nothing about other requests.
    /// </summary>
    public TimeSpan IdleVmTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Spare VMs kept started per gate and start label once a request there needed a new VM: the
    /// next request at that label finds one instead of paying a start. Spares have run nothing,
    /// serve only their own label, make room as a request at their label would, are the first
    /// evicted by any request short of memory, and expire like idle VMs. 0 turns them off.
    /// </summary>
    public int SpareVms { get; init; } = 1;

    /// <summary>
    /// Where function image blobs are unpacked, once per image. VMs mount images from here, so it
    /// and its parents must be traversable by the sandbox user (nobody when the host runs as root),
    /// and no other user may write it: whoever can plant a directory here can plant a function.
    /// Default: <see cref="DefaultImageCacheDirectory"/>.
    /// </summary>
    public string ImageCacheDirectory { get; init; } = DefaultImageCacheDirectory;

    /// <summary>
    /// <c>/var/cache/faasten/images</c> for root (its parents belong to root); otherwise the
    /// user's cache directory (<c>$XDG_CACHE_HOME</c> or <c>~/.cache</c>), since the sandbox then
    /// runs as that user. Never a shared temp directory, where another user could create it first.
    /// </summary>
    public static string DefaultImageCacheDirectory { get; } = Environment.IsPrivilegedProcess
        ? "/var/cache/faasten/images"
        : Path.Combine(
            Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg ? xdg : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"),
            "faasten",
            "images");

    /// <summary>Bounds of the image cache: per image (unpacked size, entries) and in total (LRU eviction of images no VM holds).</summary>
    public FunctionImageCacheOptions ImageCache { get; init; } = FunctionImageCacheOptions.Default;

    /// <summary>Limits of each invocation's CloudCalls (blob sizes, call depth, service timeout).</summary>
    public CloudCallKernelOptions Kernel { get; init; } = CloudCallKernelOptions.Default;

    /// <summary>This worker's name in invocation records (which machine ran it).</summary>
    public string Name { get; init; } = Environment.MachineName;

    /// <summary>How long disposing the host waits for queued and running invocations before it stops them.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public SchedulerOptions Scheduler => new()
    {
        Slots = Slots,
        QueueCapacity = QueueCapacity,
        MaxQueuedPerInvoker = MaxQueuedPerInvoker,
        MaxRunningPerInvoker = MaxRunningPerInvoker,
        ResultRetention = ResultRetention,
    };

    /// <summary>Every problem with these options; empty when usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>(Scheduler.Validate());
        if (MemoryBudgetMb < 16)
        {
            errors.Add("MemoryBudgetMb must be at least 16 (the smallest VM)");
        }

        if (string.IsNullOrWhiteSpace(ImageCacheDirectory))
        {
            errors.Add("ImageCacheDirectory must be set");
        }

        if (ImageCache is null)
        {
            errors.Add("ImageCache options must be set");
        }
        else
        {
            errors.AddRange(ImageCache.Validate().Select(e => "ImageCache." + e));
        }

        if (Kernel is null)
        {
            errors.Add("Kernel options must be set");
        }
        else
        {
            errors.AddRange(Kernel.Validate().Select(e => "Kernel." + e));
        }

        if (string.IsNullOrWhiteSpace(Name) || Name.Length > 255)
        {
            errors.Add("Name must be 1 to 255 characters");
        }

        if (SpareVms is < 0 or > 16)
        {
            errors.Add("SpareVms must be 0 to 16");
        }

        if (IdleVmTimeout <= TimeSpan.Zero)
        {
            errors.Add("IdleVmTimeout must be positive");
        }

        if (DrainTimeout < TimeSpan.Zero)
        {
            errors.Add("DrainTimeout must not be negative");
        }

        return errors;
    }
}
