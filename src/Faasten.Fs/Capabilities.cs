using Faasten.Fs.Objects;
using Faasten.Labels;

namespace Faasten.Fs;

/// <summary>
/// Operations on the objects that transfer authority: gates, redirect gates, services and
/// triggers. On top of the file rules they enforce rule 4: nobody delegates a privilege or a
/// declassification they do not own.
/// </summary>
public static class Capabilities
{
    public static ValueTask<FsResult> CreateGateAsync(this FileSystem fs, SecurityContext ctx, string path, Component privilege, Component clearance, FunctionSpec function, Component? declassify = null, Label? label = null, CancellationToken ct = default)
    {
        var d = declassify ?? privilege;
        return CheckDelegation(ctx, privilege, d) is { IsOk: false } denied
            ? ValueTask.FromResult(denied)
            : CreateWithImageAsync(fs, ctx, path, function, label, l => new Gate(l!, privilege, clearance, d, function), ct);
    }

    /// <summary>Replaces a gate's policy and function: a write to the gate (rule 2) plus rule 4.</summary>
    public static async ValueTask<FsResult> UpdateGateAsync(this FileSystem fs, SecurityContext ctx, string path, Component privilege, Component clearance, FunctionSpec function, Component? declassify = null, CancellationToken ct = default)
    {
        var d = declassify ?? privilege;
        if (CheckDelegation(ctx, privilege, d) is { IsOk: false } denied)
        {
            return denied;
        }

        var located = await fs.ResolveAsync(ctx, path, ct).ConfigureAwait(false);
        if (!located.IsOk)
        {
            return located.WithoutValue();
        }

        if (located.Value.Object is not Gate gate)
        {
            return FileSystem.WrongKind(path, located.Value.Object, ObjectKind.Gate);
        }

        if (!ctx.CanWrite(gate.Label))
        {
            return FileSystem.Denied(ctx, gate.Label, "update the gate");
        }

        if (await ImageMissingAsync(fs, function).ConfigureAwait(false) is { } missing)
        {
            return missing;
        }

        await fs.ReplaceAsync(located.Value.Id!.Value, gate with { Privilege = privilege, Clearance = clearance, Declassify = d, Function = function }, ct).ConfigureAwait(false);
        return FsResult.Ok;
    }

    public static ValueTask<FsResult> CreateRedirectGateAsync(this FileSystem fs, SecurityContext ctx, string path, string target, Component privilege, Component clearance, Component? declassify = null, Label? label = null, CancellationToken ct = default)
    {
        var d = declassify ?? privilege;
        if (CheckDelegation(ctx, privilege, d) is { IsOk: false } denied)
        {
            return ValueTask.FromResult(denied);
        }

        return Paths.FsPath.TryParse(target, out _, out var error)
            ? fs.CreateObjectAsync(ctx, path, label, l => new RedirectGate(l!, target, privilege, clearance, d), ct)
            : ValueTask.FromResult(FsResult.Fail(FsStatus.BadPath, $"bad redirect target: {error}"));
    }

    public static ValueTask<FsResult> CreateServiceAsync(this FileSystem fs, SecurityContext ctx, string path, ServiceSpec spec, Label? label = null, CancellationToken ct = default)
    {
        if (CheckDelegation(ctx, spec.Privilege, spec.Privilege) is { IsOk: false } denied)
        {
            return ValueTask.FromResult(denied);
        }

        if (!Uri.TryCreate(spec.UrlTemplate.Replace("{", "", StringComparison.Ordinal).Replace("}", "", StringComparison.Ordinal), UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return ValueTask.FromResult(FsResult.Fail(FsStatus.BadRequest, "a service URL must be an absolute http or https URL"));
        }

        return fs.CreateObjectAsync(ctx, path, label, l => new Service(l!, spec.UrlTemplate, spec.Verb.ToUpperInvariant(), spec.Headers, spec.Taint, spec.Privilege, spec.Clearance), ct);
    }

    public static ValueTask<FsResult> CreateTriggerAsync(this FileSystem fs, SecurityContext ctx, string path, string secret, string gatePath, Component privilege, Label payloadLabel, Label? label = null, CancellationToken ct = default)
    {
        if (CheckDelegation(ctx, privilege, privilege) is { IsOk: false } denied)
        {
            return ValueTask.FromResult(denied);
        }

        if (string.IsNullOrEmpty(secret))
        {
            return ValueTask.FromResult(FsResult.Fail(FsStatus.BadRequest, "a trigger needs a non-empty secret"));
        }

        return Paths.FsPath.TryParse(gatePath, out _, out var error)
            ? fs.CreateObjectAsync(ctx, path, label, l => new Trigger(l!, secret, gatePath, privilege, payloadLabel), ct)
            : ValueTask.FromResult(FsResult.Fail(FsStatus.BadPath, $"bad gate path: {error}"));
    }

    /// <summary>
    /// Follows redirect gates to a direct gate, tainting with every directory and gate on the
    /// way, and conjoins the privileges, clearances and declassify components of the chain.
    /// </summary>
    public static async ValueTask<FsResult<ResolvedGate>> ResolveGateAsync(this FileSystem fs, SecurityContext ctx, string path, CancellationToken ct = default)
    {
        var (privilege, clearance, declassify) = (Component.True, Component.True, Component.True);
        var current = path;
        for (var depth = 0; depth <= fs.MaxRedirectDepth; depth++)
        {
            var located = await fs.ResolveAsync(ctx, current, ct).ConfigureAwait(false);
            if (!located.IsOk)
            {
                return located.WithoutValue();
            }

            switch (located.Value.Object)
            {
                case Gate g:
                    ctx.Taint(g.Label);
                    return FsResult<ResolvedGate>.Ok(new ResolvedGate(privilege.And(g.Privilege), clearance.And(g.Clearance), declassify.And(g.Declassify), g.Function));
                case RedirectGate r:
                    ctx.Taint(r.Label);
                    (privilege, clearance, declassify) = (privilege.And(r.Privilege), clearance.And(r.Clearance), declassify.And(r.Declassify));
                    current = r.Target;
                    break;
                default:
                    return FileSystem.WrongKind(current, located.Value.Object, ObjectKind.Gate);
            }
        }

        return FsResult.Fail(FsStatus.BadRequest, $"'{path}' redirects more than {fs.MaxRedirectDepth} times");
    }

    /// <summary>Opens a service for invocation; the caller learns it under the service's label. Never hand it to a function.</summary>
    public static ValueTask<FsResult<Service>> OpenServiceAsync(this FileSystem fs, SecurityContext ctx, string path, CancellationToken ct = default) =>
        OpenAsync<Service>(fs, ctx, path, ObjectKind.Service, ct);

    /// <summary>Opens a trigger for the event server; the caller learns it under the trigger's label.</summary>
    public static ValueTask<FsResult<Trigger>> OpenTriggerAsync(this FileSystem fs, SecurityContext ctx, string path, CancellationToken ct = default) =>
        OpenAsync<Trigger>(fs, ctx, path, ObjectKind.Trigger, ct);

    private static async ValueTask<FsResult<T>> OpenAsync<T>(FileSystem fs, SecurityContext ctx, string path, ObjectKind kind, CancellationToken ct)
        where T : FsObject
    {
        var located = await fs.ResolveAsync(ctx, path, ct).ConfigureAwait(false);
        if (!located.IsOk)
        {
            return located.WithoutValue();
        }

        if (located.Value.Object is not T obj)
        {
            return FileSystem.WrongKind(path, located.Value.Object, kind);
        }

        ctx.Taint(obj.Label!);
        return FsResult<T>.Ok(obj);
    }

    private static async ValueTask<FsResult> CreateWithImageAsync(FileSystem fs, SecurityContext ctx, string path, FunctionSpec function, Label? label, Func<Label?, FsObject> make, CancellationToken ct) =>
        await ImageMissingAsync(fs, function).ConfigureAwait(false) ?? await fs.CreateObjectAsync(ctx, path, label, make, ct).ConfigureAwait(false);

    private static async ValueTask<FsResult?> ImageMissingAsync(FileSystem fs, FunctionSpec function)
    {
        if (function.MemoryMb is < 16 or > 16_384 || function.TimeoutMs is < 1 or > 900_000)
        {
            return FsResult.Fail(FsStatus.BadRequest, "memory must be 16–16384 MB and timeout 1 ms–15 min");
        }

        try
        {
            return await fs.Blobs.GetLengthAsync(function.ImageHash).ConfigureAwait(false) is null
                ? FsResult.Fail(FsStatus.NotFound, $"no image blob {function.ImageHash}")
                : null;
        }
        catch (ArgumentException e)
        {
            return FsResult.Fail(FsStatus.BadRequest, e.Message);
        }
    }

    // Rule 4: the creator's privilege must imply the authority the object will carry.
    private static FsResult CheckDelegation(SecurityContext ctx, Component privilege, Component declassify)
    {
        if (!ctx.Privilege.Implies(privilege))
        {
            return FsResult.Fail(FsStatus.PrivilegeDenied, $"privilege {ctx.Privilege} cannot delegate privilege {privilege}");
        }

        return ctx.Privilege.Implies(declassify)
            ? FsResult.Ok
            : FsResult.Fail(FsStatus.PrivilegeDenied, $"privilege {ctx.Privilege} cannot delegate declassification {declassify}");
    }
}
