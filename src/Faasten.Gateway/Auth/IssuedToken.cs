using Faasten.Labels;

namespace Faasten.Gateway.Auth;

/// <summary>A freshly signed bearer token and what it grants.</summary>
internal sealed record IssuedToken(string Token, Component Privilege, DateTimeOffset Expires);
