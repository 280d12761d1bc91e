using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Faasten.Fs;
using Faasten.Protocol.Labels;
using Faasten.Protocol.V1;
using Faasten.Worker.Scheduling;
using Google.Protobuf;
using Label = Faasten.Labels.Label;

namespace Faasten.Gateway.Tests.TestSupport;

/// <summary>
/// A stand-in for the label-aware worker behind the real in-process scheduler: it resolves the
/// gate through the monitor, authorizes the invoker against the clearance, runs a C# function
/// chosen by the image blob's content, and labels the reply downgrade(L, declassify) as the
/// worker does (DESIGN §4). Gateway tests need a worker's contract, not its sandbox.
/// </summary>
internal sealed class ScriptedRunner(FileSystem fs) : IInvocationRunner
{
    /// <summary>Every request the scheduler handed over, for assertions.</summary>
    public ConcurrentQueue<InvokeRequest> Received { get; } = new();

    /// <summary>Ids of the requests that ran to completion.</summary>
    public ConcurrentQueue<string> Completed { get; } = new();

    public async ValueTask<InvokeReply> RunAsync(InvokeRequest request, CancellationToken cancellationToken)
    {
        Received.Enqueue(request);
        var invoker = request.InvokerPrivilege.FromProto();
        var ctx = new SecurityContext(invoker, Label.Public.Lub(request.PayloadLabel.FromProto()));
        var gate = await fs.ResolveGateAsync(ctx, request.GatePath, cancellationToken);
        if (!gate.IsOk)
        {
            return Reply(request, gate.Status == FsStatus.NotFound ? InvokeStatus.NotFound : InvokeStatus.BadRequest, gate.Message ?? "", ctx.Label);
        }

        if (!invoker.Implies(gate.Value!.Clearance))
        {
            return Reply(request, InvokeStatus.Forbidden, $"privilege {invoker} does not imply clearance {gate.Value.Clearance}", ctx.Label);
        }

        var function = await ReadImageAsync(gate.Value.Function.ImageHash, cancellationToken);
        var run = new SecurityContext(gate.Value.Privilege, ctx.Label);
        var payload = JsonDocument.Parse(request.Payload.Memory).RootElement;
        var (status, body) = await RunFunctionAsync(function, payload, run, cancellationToken);
        Completed.Enqueue(request.Id);
        return Reply(request, status, body, run.Label.Downgrade(gate.Value.Declassify));
    }

    private async Task<(InvokeStatus, string)> RunFunctionAsync(string function, JsonElement payload, SecurityContext run, CancellationToken ct)
    {
        switch (function)
        {
            case "echo":
                return (InvokeStatus.Ok, payload.GetRawText());
            case "read":
                // Reads the file named by payload.path with the function's privilege: its label taints the reply.
                var read = await fs.ReadFileAsync(run, payload.GetProperty("path").GetString()!, ct);
                return read.IsOk
                    ? (InvokeStatus.Ok, JsonSerializer.Serialize(Encoding.UTF8.GetString(read.Value!)))
                    : (InvokeStatus.FunctionError, $"read failed: {read.Message}");
            case "timeout":
                return (InvokeStatus.Timeout, "the function ran longer than its timeout");
            case "crash":
                return (InvokeStatus.Crashed, "the VM exited with signal 9");
            case "fail":
                return (InvokeStatus.FunctionError, "Traceback: ValueError: secret-ish failure detail");
            case "slow":
                await Task.Delay(TimeSpan.FromMilliseconds(payload.GetProperty("ms").GetInt32()), ct);
                return (InvokeStatus.Ok, "\"done\"");
            default:
                return (InvokeStatus.Crashed, $"unknown scripted function '{function}'");
        }
    }

    private async Task<string> ReadImageAsync(string hash, CancellationToken ct)
    {
        await using var stream = (await fs.Blobs.OpenReadAsync(hash, ct))!;
        using var reader = new StreamReader(stream);
        return (await reader.ReadToEndAsync(ct)).Trim();
    }

    private static InvokeReply Reply(InvokeRequest request, InvokeStatus status, string body, Label label) => new()
    {
        Id = request.Id,
        Status = status,
        Body = ByteString.CopyFromUtf8(body),
        Label = label.ToProto(),
    };
}
