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
/// are not Buckle values with <see cref="LabelMessageException"/>. Decoding also rejects messages
/// beyond <see cref="LabelLimits.Default"/> (they come from VMs and the wire): the counts of clauses,
/// principals and tokens and the token lengths are checked as they are read, before any reduction,
/// and the decoded value's text length last.
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
        var secrecy = ReadComponent(message.Secrecy, "secrecy");
        var integrity = ReadComponent(message.Integrity, "integrity");
        return Bounded("label", () => new Label(secrecy, integrity));
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
        var limits = LabelLimits.Default;
        if (message.Clauses.Count > limits.MaxClauses)
        {
            throw OverLimit(path, $"has {message.Clauses.Count} clauses, more than {limits.MaxClauses}", nameof(LabelLimits.MaxClauses));
        }
        var clauses = new Clause[message.Clauses.Count];
        for (var i = 0; i < clauses.Length; i++)
        {
            clauses[i] = ReadClause(message.Clauses[i], $"{path}.clauses[{i}]");
        }
        return Bounded(path, () => Component.FromClauses(clauses));
    }

    private static Clause ReadClause(ClauseMessage message, string path)
    {
        if (message.Principals.Count == 0)
        {
            throw new LabelMessageException(path, "has no principals");
        }
        var limits = LabelLimits.Default;
        if (message.Principals.Count > limits.MaxPrincipals)
        {
            throw OverLimit(path, $"has {message.Principals.Count} principals, more than {limits.MaxPrincipals}", nameof(LabelLimits.MaxPrincipals));
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
        var limits = LabelLimits.Default;
        if (message.Tokens.Count > limits.MaxTokens)
        {
            throw OverLimit(path, $"has {message.Tokens.Count} tokens, more than {limits.MaxTokens}", nameof(LabelLimits.MaxTokens));
        }
        for (var i = 0; i < message.Tokens.Count; i++)
        {
            var length = message.Tokens[i].Length;
            if (length == 0)
            {
                throw new LabelMessageException($"{path}.tokens[{i}]", "is empty");
            }
            if (length > limits.MaxTokenLength)
            {
                throw OverLimit($"{path}.tokens[{i}]", $"has {length} characters, more than {limits.MaxTokenLength}", nameof(LabelLimits.MaxTokenLength));
            }
        }
        return new Principal([.. message.Tokens]);
    }

    private static LabelMessageException OverLimit(string path, string problem, string limit) =>
        new(path, $"{problem} (LabelLimits.{limit})");

    // What the counts above cannot see: the text length of the value as a whole.
    private static T Bounded<T>(string path, Func<T> build)
    {
        try
        {
            return build();
        }
        catch (LabelTooLargeException e)
        {
            throw new LabelMessageException(path, $"is too large: {e.Message}");
        }
    }
}
