namespace Faasten.Gateway.Admin;

/// <summary>The outcome of an admin operation: a status, one line for the operator, and the token when one was issued.</summary>
public sealed record AdminResult(AdminStatus Status, string Message, string? Token = null, DateTimeOffset? Expires = null)
{
    public bool IsOk => Status == AdminStatus.Ok;
}
