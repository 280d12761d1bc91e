using Faasten.Fs;
using Faasten.Labels;
using Faasten.Protocol;
using Faasten.Protocol.Invocations;
using Faasten.Protocol.V1;
using Case = Faasten.Protocol.V1.CloudCallRequest.CallOneofCase;

namespace Faasten.Kernel;

/// <summary>
/// The cloud kernel for one invocation: serves every CloudCall of the protocol against the
/// labeled file system's monitor, under that invocation's <see cref="SecurityContext"/>.
/// The worker makes one per invocation and disposes it when the invocation ends, which
/// closes blob handles and abandons unfinished blob writes.
/// </summary>
/// <remarks>
/// Denials are replies: monitor outcomes map 1:1 to CloudCall error codes and a malformed
/// label argument is BAD_LABEL with the parser's message. Messages name paths and labels,
/// never data. Calls arrive one at a time (see <see cref="ICloudCallHandler"/>), so the
/// context and the handle table need no locking.
/// <para>A label operation whose result would exceed <see cref="LabelLimits"/> (a taint,
/// a read that taints, a declassify) throws <see cref="LabelTooLargeException"/> before it
/// changes the context; this is the one place that turns it into a TOO_LARGE reply. Once the
/// invocation's time is up (the token fires), no further call starts, and a call in flight that
/// the channel abandoned is waited for on dispose, so the handle table is never torn down under it.</para>
/// </remarks>
public sealed class CloudCallKernel : ICloudCallHandler, IAsyncDisposable
{
    private readonly FileCalls _files;
    private readonly CapabilityCalls _capabilities;
    private readonly BlobCalls _blobs;
    private readonly InvokeCalls _invokes;
    private readonly ServiceCalls _services;
    private readonly LabelCalls _labels;
    private readonly CloudCallKinds? _kinds;
    private Task? _inFlight;
    private bool _disposed;

    /// <param name="fileSystem">The monitor every file-system call goes through.</param>
    /// <param name="context">The invocation's label and privilege; the kernel raises, lowers and narrows it as the function's calls demand.</param>
    /// <param name="invoker">Where <c>invoke</c> sends calls to other functions.</param>
    /// <param name="http">Sends <c>invoke_service</c> requests; shared, owned by the caller.</param>
    /// <param name="options">Limits; <see cref="CloudCallKernelOptions.Default"/> when null.</param>
    /// <param name="depth">How deep this invocation is in a chain of calls (0 when invoked from outside); nested calls get depth + 1.</param>
    /// <param name="kinds">Counts the calls by kind, when the host measures them.</param>
    public CloudCallKernel(FileSystem fileSystem, SecurityContext context, IInvoker invoker, HttpClient http, CloudCallKernelOptions? options = null, int depth = 0, CloudCallKinds? kinds = null)
    {
        _kinds = kinds;
        ArgumentNullException.ThrowIfNull(fileSystem);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(invoker);
        ArgumentNullException.ThrowIfNull(http);
        options ??= CloudCallKernelOptions.Default;
        Context = context;
        var created = new CreatedBlobs(options.MaxCreatedBlobs);
        _files = new FileCalls(fileSystem, context, created);
        _capabilities = new CapabilityCalls(fileSystem, context, created);
        _blobs = new BlobCalls(fileSystem, context, options, created);
        _invokes = new InvokeCalls(context, invoker, options, depth);
        _services = new ServiceCalls(fileSystem, context, http, options);
        _labels = new LabelCalls(context);
    }

    /// <summary>The invocation's security context: after the run, its label is the invocation's final label.</summary>
    public SecurityContext Context { get; }

    /// <summary>Blob handles currently open (read or being written).</summary>
    public int OpenBlobHandles => _blobs.OpenCount;

    public ValueTask<CloudCallResponse> HandleAsync(CloudCallRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        ValueTask<CloudCallResponse> pending;
        try
        {
            pending = Dispatch(request, cancellationToken);
        }
        catch (LabelTooLargeException e)
        {
            return Done(TooLarge(e));
        }

        if (pending.IsCompletedSuccessfully)
        {
            return pending;
        }

        var task = Complete(pending);
        _inFlight = task;
        return new ValueTask<CloudCallResponse>(task);

        static async Task<CloudCallResponse> Complete(ValueTask<CloudCallResponse> pending)
        {
            try
            {
                return await pending.ConfigureAwait(false);
            }
            catch (LabelTooLargeException e)
            {
                return TooLarge(e);
            }
        }
    }

    private ValueTask<CloudCallResponse> Dispatch(CloudCallRequest request, CancellationToken ct)
    {
        _kinds?.Count(request.CallCase);
        if (Context.Trail is { } trail)
        {
            TrailSteps.Begin(trail, request);
        }

        return request.CallCase switch
        {
            Case.FsRead => _files.ReadAsync(request.FsRead, ct),
            Case.FsWrite => _files.WriteAsync(request.FsWrite, ct),
            Case.FsList => _files.ListAsync(request.FsList, ct),
            Case.FsFacetedList => _files.FacetedListAsync(request.FsFacetedList, ct),
            Case.FsCreateDir => _files.CreateDirectoryAsync(request.FsCreateDir, ct),
            Case.FsCreateFile => _files.CreateFileAsync(request.FsCreateFile, ct),
            Case.FsCreateFaceted => _files.CreateFacetedAsync(request.FsCreateFaceted, ct),
            Case.FsHardLink => _files.HardLinkAsync(request.FsHardLink, ct),
            Case.FsDelete => _files.DeleteAsync(request.FsDelete, ct),

            Case.BlobOpen => _blobs.OpenAsync(request.BlobOpen, ct),
            Case.BlobRead => _blobs.ReadAsync(request.BlobRead, ct),
            Case.BlobClose => _blobs.CloseAsync(request.BlobClose),
            Case.BlobCreate => Done(_blobs.Create(request.BlobCreate)),
            Case.BlobWrite => _blobs.WriteAsync(request.BlobWrite, ct),
            Case.BlobFinalize => _blobs.FinalizeAsync(request.BlobFinalize, ct),
            Case.FsLinkBlob => _files.LinkBlobAsync(request.FsLinkBlob, ct),

            Case.FsCreateGate => _capabilities.CreateGateAsync(request.FsCreateGate, ct),
            Case.FsCreateRedirectGate => _capabilities.CreateRedirectGateAsync(request.FsCreateRedirectGate, ct),
            Case.FsCreateService => _capabilities.CreateServiceAsync(request.FsCreateService, ct),
            Case.Invoke => _invokes.InvokeAsync(request.Invoke, ct),
            Case.InvokeService => _services.InvokeAsync(request.InvokeService, ct),

            Case.GetCurrentLabel => Done(_labels.GetCurrentLabel()),
            Case.GetPrivilege => Done(_labels.GetPrivilege()),
            Case.TaintWithLabel => Done(_labels.Taint(request.TaintWithLabel)),
            Case.Declassify => Done(_labels.Declassify(request.Declassify)),
            Case.Endorse => Done(_labels.Endorse()),
            Case.SubPrivilege => Done(_labels.SubPrivilege(request.SubPrivilege)),

            _ => Done(CloudCallReplies.Error(CloudCallErrorCode.Unsupported, $"this kernel does not implement {request.CallCase}")),
        };
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_inFlight is { } inFlight)
        {
            // Cancelled with the invocation, so it ends soon; its outcome no longer matters.
            await inFlight.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        await _blobs.DisposeAsync().ConfigureAwait(false);
    }

    private static ValueTask<CloudCallResponse> Done(CloudCallResponse response) => ValueTask.FromResult(response);

    // The message names sizes and the limit, never label text.
    private static CloudCallResponse TooLarge(LabelTooLargeException e) => KernelErrors.TooLarge($"label too large: {e.Message}");
}
