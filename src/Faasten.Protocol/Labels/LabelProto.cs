using Faasten.Labels;
using ClauseMessage = Faasten.Protocol.V1.Clause;
using ComponentMessage = Faasten.Protocol.V1.Component;
using LabelMessage = Faasten.Protocol.V1.Label;
using PrincipalMessage = Faasten.Protocol.V1.Principal;

namespace Faasten.Protocol.Labels;

/// <summary>
/// Conversions between <see cref="Faasten.Labels"/> values and their protobuf messages
/// (proto/faasten/v1/label.proto). Encoding writes the canonical form, so equal labels encode to
/// equal bytes; decoding accepts any order and redundancy, canonicalizes, and rejects messages that
/// are not Buckle values with <see cref="LabelMessageException"/>.
/// </summary>
public static class LabelProto
{
    public static LabelMessage ToProto(this Label label)
    {
        ArgumentNullException.ThrowIfNull(label);
        return new LabelMessage { Secrecy = label.Secrecy.ToProto(), Integrity = label.Integrity.ToProto() };
    }

    public static ComponentMessage ToProto(this Component component)
    {
        ArgumentNullException.ThrowIfNull(component);
        var message = new ComponentMessage { IsFalse = component.IsFalse };
        foreach (var clause in component.Clauses)
        {
            message.Clauses.Add(clause.ToProto());
        }
        return message;
    }

    public static ClauseMessage ToProto(this Clause clause)
    {
        ArgumentNullException.ThrowIfNull(clause);
        var message = new ClauseMessage();
        foreach (var principal in clause.Principals)
        {
            message.Principals.Add(principal.ToProto());
        }
        return message;
    }

    public static PrincipalMessage ToProto(this Principal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var message = new PrincipalMessage();
        message.Tokens.AddRange(principal.Tokens);
        return message;
    }

    /// <exception cref="LabelMessageException">A component is missing or malformed.</exception>
    public static Label FromProto(this LabelMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new Label(
            ReadComponent(message.Secrecy, "secrecy"),
            ReadComponent(message.Integrity, "integrity"));
    }

    /// <exception cref="LabelMessageException">F with clauses, or a malformed clause.</exception>
    public static Component FromProto(this ComponentMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return ReadComponent(message, "component");
    }

    /// <exception cref="LabelMessageException">No principals, or a malformed principal.</exception>
    public static Clause FromProto(this ClauseMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return ReadClause(message, "clause");
    }

    /// <exception cref="LabelMessageException">No tokens, or an empty token.</exception>
    public static Principal FromProto(this PrincipalMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return ReadPrincipal(message, "principal");
    }

    private static Component ReadComponent(ComponentMessage? message, string path)
    {
        if (message is null)
        {
            throw new LabelMessageException(path, "is missing");
        }
        if (message.IsFalse)
        {
            return message.Clauses.Count == 0
                ? Component.False
                : throw new LabelMessageException(path, "is F but also has clauses");
        }
        if (message.Clauses.Count == 0)
        {
            return Component.True;
        }
        var clauses = new Clause[message.Clauses.Count];
        for (var i = 0; i < clauses.Length; i++)
        {
            clauses[i] = ReadClause(message.Clauses[i], $"{path}.clauses[{i}]");
        }
        return Component.FromClauses(clauses);
    }

    private static Clause ReadClause(ClauseMessage message, string path)
    {
        if (message.Principals.Count == 0)
        {
            throw new LabelMessageException(path, "has no principals");
        }
        var principals = new Principal[message.Principals.Count];
        for (var i = 0; i < principals.Length; i++)
        {
            principals[i] = ReadPrincipal(message.Principals[i], $"{path}.principals[{i}]");
        }
        return new Clause(principals);
    }

    private static Principal ReadPrincipal(PrincipalMessage message, string path)
    {
        if (message.Tokens.Count == 0)
        {
            throw new LabelMessageException(path, "has no tokens");
        }
        for (var i = 0; i < message.Tokens.Count; i++)
        {
            if (message.Tokens[i].Length == 0)
            {
                throw new LabelMessageException($"{path}.tokens[{i}]", "is empty");
            }
        }
        return new Principal([.. message.Tokens]);
    }
}
