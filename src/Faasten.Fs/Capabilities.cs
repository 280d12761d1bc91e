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
    public static async ValueTask<FsResult> CreateGateAsync(this FileSystem fs, SecurityContext ctx, string path, Component privilege, Component clearance, FunctionSpec function, Component? declassify = null, Label? label = null, CancellationToken ct = default)
    {
        var d = declassify ?? privilege;
        if (CheckDelegation(ctx, privilege, d) is { IsOk: false } denied)
        {
            return denied;
        }

        var created = await CreateWithImageAsync(fs, ctx, path, function, label, l => new Gate(l!, privilege, clearance, d, function), ct).ConfigureAwait(false);
        if (created.IsOk && fs.GateFunctionWritten is { } written)
        {
            await written(function, ct).ConfigureAwait(false);
        }

        return created;
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

        if (InvalidFunction(function) is { } invalid)
        {
            return invalid;
        }

        // The old image may lose its last reference; an invocation that resolved the gate just
        // before may still be fetching it, so the collector keeps it through the grace period.
        if (gate.Function.ImageHash != function.ImageHash)
        {
            await fs.ShadeBlobAsync(gate.Function.ImageHash, ct).ConfigureAwait(false);
        }

        await fs.ReplaceAsync(located.Value.Id!.Value, gate with { Privilege = privilege, Clearance = clearance, Declassify = d, Function = function }, ct).ConfigureAwait(false);
        if (fs.GateFunctionWritten is { } written)
        {
            await written(function, ct).ConfigureAwait(false);
        }

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

    /// <summary>
    /// Creates a service. Sending data to an endpoint outside the system declassifies it to that
    /// endpoint, so on top of rule 4's delegation check the creator's privilege must imply the
    /// taint's secrecy: otherwise anyone could name a taint like <c>alice,T</c>, and a function
    /// reading alice's data could send it out through their service.
    /// </summary>
    public static ValueTask<FsResult> CreateServiceAsync(this FileSystem fs, SecurityContext ctx, string path, ServiceSpec spec, Label? label = null, CancellationToken ct = default) =>
        CheckService(ctx, spec) is { IsOk: false } denied
            ? ValueTask.FromResult(denied)
            : fs.CreateObjectAsync(ctx, path, label, l => new Service(l!, spec.UrlTemplate, spec.Verb.ToUpperInvariant(), spec.Headers, spec.Taint, spec.Privilege, spec.Clearance), ct);

    private static FsResult CheckService(SecurityContext ctx, ServiceSpec spec)
    {
        if (CheckDelegation(ctx, spec.Privilege, spec.Privilege) is { IsOk: false } denied)
        {
            return denied;
        }

        if (!ctx.Privilege.Implies(spec.Taint.Secrecy))
        {
            return FsResult.Fail(FsStatus.PrivilegeDenied, $"privilege {ctx.Privilege} cannot declassify to an external endpoint: a service's taint secrecy ({spec.Taint.Secrecy}) must be implied by its creator's privilege");
        }

        return ServiceRequests.Validate(spec) is { } invalid ? FsResult.Fail(FsStatus.BadRequest, invalid) : FsResult.Ok;
    }

    /// <summary>Replaces a service's endpoint and policy: a write to the service (rule 2) plus the checks of creation.</summary>
    public static async ValueTask<FsResult> UpdateServiceAsync(this FileSystem fs, SecurityContext ctx, string path, ServiceSpec spec, CancellationToken ct = default)
    {
        if (CheckService(ctx, spec) is { IsOk: false } denied)
        {
            return denied;
        }

        var located = await fs.ResolveAsync(ctx, path, ct).ConfigureAwait(false);
        if (!located.IsOk)
        {
            return located.WithoutValue();
        }

        if (located.Value.Object is not Service service)
        {
            return FileSystem.WrongKind(path, located.Value.Object, ObjectKind.Service);
        }

        if (!ctx.CanWrite(service.Label))
        {
            return FileSystem.Denied(ctx, service.Label, "update the service");
        }

        await fs.ReplaceAsync(located.Value.Id!.Value, new Service(service.Label, spec.UrlTemplate, spec.Verb.ToUpperInvariant(), spec.Headers, spec.Taint, spec.Privilege, spec.Clearance), ct).ConfigureAwait(false);
        return FsResult.Ok;
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
        var identity = new System.Text.StringBuilder();
        var current = path;
        for (var depth = 0; depth <= fs.MaxRedirectDepth; depth++)
        {
            var located = await fs.ResolveAsync(ctx, current, ct).ConfigureAwait(false);
            if (!located.IsOk)
            {
                return located.WithoutValue();
            }

            if (located.Value.Object is Gate or RedirectGate)
            {
                identity.Append(located.Value.Id).Append('@').Append(located.Value.Version).Append(';');
            }

            switch (located.Value.Object)
            {
                case Gate g:
                    ctx.Taint(g.Label);
                    return FsResult<ResolvedGate>.Ok(new ResolvedGate(privilege.And(g.Privilege), clearance.And(g.Clearance), declassify.And(g.Declassify), g.Function, identity.ToString()));
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

    /// <summary>
    /// Opens a gate or redirect gate without following it, to describe it; the caller learns it
    /// under its label (rule 1), so the description is released only to those who may read it.
    /// </summary>
    public static async ValueTask<FsResult<FsObject>> OpenGateAsync(this FileSystem fs, SecurityContext ctx, string path, CancellationToken ct = default)
    {
        var located = await fs.ResolveAsync(ctx, path, ct).ConfigureAwait(false);
        if (!located.IsOk)
        {
            return located.WithoutValue();
        }

        if (located.Value.Object is not (Gate or RedirectGate))
        {
            return FileSystem.WrongKind(path, located.Value.Object, ObjectKind.Gate);
        }

        ctx.Taint(located.Value.Object.Label!);
        return FsResult<FsObject>.Ok(located.Value.Object);
    }

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

    /// <summary>
    /// The image of a new or updated gate, named by the path of a blob entry: reading it taints
    /// the computation (rule 1), so the gate's label covers what its function is made of unless
    /// the creator's privilege declassifies it. Rule 8: a hash from outside is never accepted.
    /// </summary>
    public static async ValueTask<FsResult<string>> ResolveImageAsync(this FileSystem fs, SecurityContext ctx, string imagePath, CancellationToken ct = default)
    {
        var opened = await fs.OpenBlobAsync(ctx, imagePath, ct).ConfigureAwait(false);
        return opened.IsOk ? FsResult<string>.Ok(opened.Value.Hash) : opened.WithoutValue();
    }

    private static async ValueTask<FsResult> CreateWithImageAsync(FileSystem fs, SecurityContext ctx, string path, FunctionSpec function, Label? label, Func<Label?, FsObject> make, CancellationToken ct) =>
        InvalidFunction(function) ?? await fs.CreateObjectAsync(ctx, path, label, make, ct).ConfigureAwait(false);

    // The image hash was resolved from a blob entry or created by the caller (rule 8), so it is
    // not looked up again: an answer that depended on the store's content would reveal it.
    private static FsResult? InvalidFunction(FunctionSpec function)
    {
        if (function.Validate() is { } invalid)
        {
            return FsResult.Fail(FsStatus.BadRequest, invalid);
        }

        return Storage.BlobHash.IsValid(function.ImageHash)
            ? null
            : FsResult.Fail(FsStatus.BadRequest, "a gate's image must be a blob");
    }

    // Rule 4: the creator's privilege must imply the authority the object will carry.
    internal static FsResult CheckDelegation(SecurityContext ctx, Component privilege, Component declassify)
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
