using Faasten.Labels;

namespace Faasten.Gateway.Auth;

/// <summary>Who a request acts for: the token's user and privilege, or anonymous with privilege T.</summary>
internal sealed record Caller(string? User, Component Privilege, DateTimeOffset? Expires)
{
    public static Caller Anonymous { get; } = new(null, Component.True, null);
}
