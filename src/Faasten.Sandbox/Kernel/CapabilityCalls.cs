using System.Collections.Immutable;
using Faasten.Fs;
using Faasten.Fs.Objects;
using Faasten.Protocol.V1;

namespace Faasten.Sandbox.Kernel;

/// <summary>
/// Creating gates, redirect gates and services. The monitor checks rule 4 (no one delegates
/// authority they lack) on top of the write rules; this class only parses arguments.
/// </summary>
internal sealed class CapabilityCalls(FileSystem fs, SecurityContext ctx)
{
    public ValueTask<CloudCallResponse> CreateGateAsync(FsCreateGate call, CancellationToken ct)
    {
        if (!KernelArgs.TryComponent(call.Privilege, "privilege", out var privilege, out var bad)
            || !KernelArgs.TryComponent(call.Clearance, "clearance", out var clearance, out bad)
            || !KernelArgs.TryOptionalLabel(call.HasLabel, call.Label, "label", out var label, out bad))
        {
            return ValueTask.FromResult(bad);
        }

        Faasten.Labels.Component? declassify = null;
        if (call.HasDeclassify && !KernelArgs.TryComponent(call.Declassify, "declassify component", out declassify, out bad))
        {
            return ValueTask.FromResult(bad);
        }

        if (call.MemoryMb > int.MaxValue || (call.HasTimeoutMs && call.TimeoutMs > int.MaxValue))
        {
            return ValueTask.FromResult(KernelErrors.BadRequest("memory or timeout out of range"));
        }

        var function = new FunctionSpec(
            call.ImageBlob,
            string.IsNullOrEmpty(call.Runtime) ? FunctionSpec.DefaultRuntime : call.Runtime,
            call.MemoryMb == 0 ? FunctionSpec.DefaultMemoryMb : (int)call.MemoryMb,
            call.HasTimeoutMs ? (int)call.TimeoutMs : FunctionSpec.DefaultTimeoutMs);
        return FileCalls.DoneAsync(fs.CreateGateAsync(ctx, call.Path, privilege, clearance, function, declassify, label, ct));
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

        var verb = string.IsNullOrEmpty(call.Verb) ? "GET" : call.Verb;
        if (!verb.All(char.IsAsciiLetter) || verb.Length > 16)
        {
            return ValueTask.FromResult(KernelErrors.BadRequest($"bad HTTP verb '{KernelErrors.Quote(verb)}'"));
        }

        var spec = new ServiceSpec(call.Url, verb, call.Headers.ToImmutableSortedDictionary(StringComparer.Ordinal), taint, privilege, clearance);
        return FileCalls.DoneAsync(fs.CreateServiceAsync(ctx, call.Path, spec, label, ct));
    }
}
