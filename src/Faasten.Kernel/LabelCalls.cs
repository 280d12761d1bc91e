using Faasten.Fs;
using Faasten.Protocol;
using Faasten.Protocol.V1;

namespace Faasten.Kernel;

/// <summary>The label and privilege CloudCalls (DESIGN §3 rule 6); each answers with the new state.</summary>
internal sealed class LabelCalls(SecurityContext ctx)
{
    public CloudCallResponse GetCurrentLabel() => CloudCallReplies.Label(ctx.Label.ToString());

    public CloudCallResponse GetPrivilege() => CloudCallReplies.Privilege(ctx.Privilege.ToString());

    public CloudCallResponse Taint(TaintWithLabel call)
    {
        if (!KernelArgs.TryLabel(call.Label, "label", out var label, out var bad))
        {
            return bad;
        }

        ctx.Taint(label);
        return GetCurrentLabel();
    }

    /// <summary>Rule 6: secrecy may drop to s only if (s ∧ P) ⇒ L.S.</summary>
    public CloudCallResponse Declassify(Declassify call)
    {
        if (!KernelArgs.TryComponent(call.Secrecy, "secrecy", out var secrecy, out var bad))
        {
            return bad;
        }

        var before = ctx.Label;
        return ctx.Declassify(secrecy)
            ? GetCurrentLabel()
            : CloudCallReplies.Error(CloudCallErrorCode.LabelDenied, $"privilege {ctx.Privilege} cannot declassify {before} to secrecy {secrecy}");
    }

    public CloudCallResponse Endorse()
    {
        ctx.Endorse();
        return GetCurrentLabel();
    }

    public CloudCallResponse SubPrivilege(SubPrivilege call)
    {
        if (!KernelArgs.TryPrincipal(call.Suffix, "privilege suffix", out var suffix, out var bad))
        {
            return bad;
        }

        // Extension only ever narrows, so NarrowPrivilege cannot refuse; checked anyway.
        return ctx.NarrowPrivilege(SubPrivileges.Extend(ctx.Privilege, suffix))
            ? GetPrivilege()
            : CloudCallReplies.Error(CloudCallErrorCode.PrivilegeDenied, $"privilege {ctx.Privilege} cannot be narrowed by '{KernelErrors.Quote(call.Suffix)}'");
    }
}
