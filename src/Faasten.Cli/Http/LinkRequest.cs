namespace Faasten.Cli.Http;

internal sealed record LinkRequest(string Source, string Destination);
