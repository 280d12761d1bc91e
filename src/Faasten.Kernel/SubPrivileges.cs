using Faasten.Labels;

namespace Faasten.Kernel;

/// <summary>
/// sub_privilege: the privilege with every principal extended by a suffix, e.g.
/// <c>alice &amp; bob/x</c> with <c>pma</c> becomes <c>alice/pma &amp; bob/x/pma</c>. A principal
/// speaks for its extensions, so the old privilege implies the new one: a function can shed
/// authority (to hand a narrower one to what it calls) but never gain any.
/// </summary>
/// <remarks>
/// <c>T</c> has no principals to extend and stays <c>T</c>. <c>F</c> (the superuser) has none
/// either and stays <c>F</c>: it implies every component, so no extension of it is weaker in a
/// way a component can express.
/// </remarks>
internal static class SubPrivileges
{
    public static Component Extend(Component privilege, Principal suffix)
    {
        if (privilege.IsTrue || privilege.IsFalse)
        {
            return privilege;
        }

        return Component.FromClauses(privilege.Clauses.Select(clause => new Clause(clause.Principals.Select(p => Append(p, suffix)))));
    }

    private static Principal Append(Principal principal, Principal suffix)
    {
        foreach (var token in suffix.Tokens)
        {
            principal = principal.Child(token);
        }

        return principal;
    }
}
