using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Faasten.Fs;
using Faasten.Labels;
using Faasten.Protocol.Invocations;

namespace Faasten.Gateway.Tests.TestSupport;

/// <summary>
/// A stand-in for the label-aware worker behind the real in-process scheduler: it resolves the
/// gate through the monitor, authorizes the invoker against the clearance, runs a C# function
/// chosen by the image blob's content, and labels the reply downgrade(L, declassify) as the
/// worker does (DESIGN §4). Gateway tests need a worker's contract, not its sandbox.
/// </summary>
internal sealed class ScriptedRunner(FileSystem fs) : IInvoker
{
    /// <summary>Every request the scheduler handed over, for assertions.</summary>
    public ConcurrentQueue<InvocationRequest> Received { get; } = new();

    /// <summary>Ids of the requests that ran to completion.</summary>
    public ConcurrentQueue<string> Completed { get; } = new();

    public async ValueTask<InvocationReply> InvokeAsync(InvocationRequest request, CancellationToken cancellationToken)
    {
        Received.Enqueue(request);
        var invoker = request.InvokerPrivilege;
        var ctx = new SecurityContext(invoker, Label.Public.Lub(request.PayloadLabel));
        var gate = await fs.ResolveGateAsync(ctx, request.GatePath, cancellationToken);
        if (!gate.IsOk)
        {
            return Reply(request, gate.Status == FsStatus.NotFound ? InvocationStatus.NotFound : InvocationStatus.BadRequest, gate.Message ?? "", ctx.Label);
        }

        if (!invoker.Implies(gate.Value!.Clearance))
        {
            return Reply(request, InvocationStatus.Forbidden, $"privilege {invoker} does not imply clearance {gate.Value.Clearance}", ctx.Label);
        }

        var function = await ReadImageAsync(gate.Value.Function.ImageHash, cancellationToken);
        var run = new SecurityContext(gate.Value.Privilege, ctx.Label);
        var payload = JsonDocument.Parse(request.Payload).RootElement;
        var (status, body) = await RunFunctionAsync(function, payload, run, cancellationToken);
        Completed.Enqueue(request.Id);
        return Reply(request, status, body, run.Label.Downgrade(gate.Value.Declassify));
    }

    private async Task<(InvocationStatus, string)> RunFunctionAsync(string function, JsonElement payload, SecurityContext run, CancellationToken ct)
    {
        switch (function)
        {
            case "echo":
                return (InvocationStatus.Ok, payload.GetRawText());
            case "read":
                // Reads the file named by payload.path with the function's privilege: its label taints the reply.
                var read = await fs.ReadFileAsync(run, payload.GetProperty("path").GetString()!, ct);
                return read.IsOk
                    ? (InvocationStatus.Ok, JsonSerializer.Serialize(Encoding.UTF8.GetString(read.Value!)))
                    : (InvocationStatus.FunctionError, $"read failed: {read.Message}");
            case "timeout":
                return (InvocationStatus.Timeout, "the function ran longer than its timeout");
            case "crash":
                return (InvocationStatus.Crashed, "the VM exited with signal 9");
            case "fail":
                return (InvocationStatus.FunctionError, "Traceback: ValueError: secret-ish failure detail");
            case "slow":
                await Task.Delay(TimeSpan.FromMilliseconds(payload.GetProperty("ms").GetInt32()), ct);
                return (InvocationStatus.Ok, "\"done\"");
            default:
                return (InvocationStatus.Crashed, $"unknown scripted function '{function}'");
        }
    }

    /// <summary>What a scripted image starts with, as a SquashFS image does.</summary>
    public const string ImageMagic = "hsqs";

    private async Task<string> ReadImageAsync(string hash, CancellationToken ct)
    {
        await using var stream = (await fs.Blobs.OpenReadAsync(hash, ct))!;
        using var reader = new StreamReader(stream);
        var content = (await reader.ReadToEndAsync(ct)).Trim();
        return content.StartsWith(ImageMagic, StringComparison.Ordinal) ? content[ImageMagic.Length..] : content;
    }

    private static InvocationReply Reply(InvocationRequest request, InvocationStatus status, string body, Label label) =>
        InvocationReply.Refusal(request.Id, status, body, label);
}
