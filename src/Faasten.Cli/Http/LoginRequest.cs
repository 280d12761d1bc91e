namespace Faasten.Cli.Http;

internal sealed record LoginRequest(string User, string Password);
