using System.Collections.Immutable;
using Faasten.Fs;
using Faasten.Fs.Objects;
using Faasten.Protocol.V1;

namespace Faasten.Kernel;

/// <summary>
/// Creating gates, redirect gates and services. The monitor checks rule 4 (no one delegates
/// authority they lack) on top of the write rules; this class only parses arguments.
/// </summary>
internal sealed class CapabilityCalls(FileSystem fs, SecurityContext ctx, CreatedBlobs created)
{
    public async ValueTask<CloudCallResponse> CreateGateAsync(FsCreateGate call, CancellationToken ct)
    {
        if (!KernelArgs.TryComponent(call.Privilege, "privilege", out var privilege, out var bad)
            || !KernelArgs.TryComponent(call.Clearance, "clearance", out var clearance, out bad)
            || !KernelArgs.TryOptionalLabel(call.HasLabel, call.Label, "label", out var label, out bad))
        {
            return bad;
        }

        Faasten.Labels.Component? declassify = null;
        if (call.HasDeclassify && !KernelArgs.TryComponent(call.Declassify, "declassify component", out declassify, out bad))
        {
            return bad;
        }

        if (call.MemoryMb > int.MaxValue || (call.HasTimeoutMs && call.TimeoutMs > int.MaxValue))
        {
            return KernelErrors.BadRequest("memory or timeout out of range");
        }

        // Rule 8: a hash this invocation created, else the path of a blob entry (read, so it taints).
        var image = call.ImageBlob;
        if (!created.Contains(image))
        {
            var resolved = await fs.ResolveImageAsync(ctx, image, ct).ConfigureAwait(false);
            if (!resolved.IsOk)
            {
                return KernelErrors.From(resolved.WithoutValue());
            }

            image = resolved.Value!;
        }

        var function = new FunctionSpec(
            image,
            string.IsNullOrEmpty(call.Runtime) ? FunctionSpec.DefaultRuntime : call.Runtime,
            call.MemoryMb == 0 ? FunctionSpec.DefaultMemoryMb : (int)call.MemoryMb,
            call.HasTimeoutMs ? (int)call.TimeoutMs : FunctionSpec.DefaultTimeoutMs);
        return await FileCalls.DoneAsync(fs.CreateGateAsync(ctx, call.Path, privilege, clearance, function, declassify, label, ct)).ConfigureAwait(false);
    }

    public ValueTask<CloudCallResponse> CreateRedirectGateAsync(FsCreateRedirectGate call, CancellationToken ct) =>
        KernelArgs.TryComponent(call.Privilege, "privilege", out var privilege, out var bad)
            && KernelArgs.TryComponent(call.Clearance, "clearance", out var clearance, out bad)
            && KernelArgs.TryOptionalLabel(call.HasLabel, call.Label, "label", out var label, out bad)
            ? FileCalls.DoneAsync(fs.CreateRedirectGateAsync(ctx, call.Path, call.Target, privilege, clearance, label: label, ct: ct))
            : ValueTask.FromResult(bad);

    public ValueTask<CloudCallResponse> CreateServiceAsync(FsCreateService call, CancellationToken ct)
    {
        if (!KernelArgs.TryLabel(call.Taint, "taint", out var taint, out var bad)
            || !KernelArgs.TryComponent(call.Privilege, "privilege", out var privilege, out bad)
            || !KernelArgs.TryComponent(call.Clearance, "clearance", out var clearance, out bad)
            || !KernelArgs.TryOptionalLabel(call.HasLabel, call.Label, "label", out var label, out bad))
        {
            return ValueTask.FromResult(bad);
        }

        // The monitor validates the verb and headers, for the gateway and functions alike.
        var verb = string.IsNullOrEmpty(call.Verb) ? "GET" : call.Verb;

        var spec = new ServiceSpec(call.Url, verb, call.Headers.ToImmutableSortedDictionary(StringComparer.Ordinal), taint, privilege, clearance);
        return FileCalls.DoneAsync(fs.CreateServiceAsync(ctx, call.Path, spec, label, ct));
    }
}
