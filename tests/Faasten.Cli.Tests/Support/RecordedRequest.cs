namespace Faasten.Cli.Tests.Support;

/// <summary>One request the fake gateway received, with its decoded query and whole body.</summary>
internal sealed record RecordedRequest(
    string Method,
    string Path,
    string RawQuery,
    IReadOnlyDictionary<string, string> Query,
    string? Authorization,
    long? ContentLength,
    byte[] Body)
{
    public string BodyText => System.Text.Encoding.UTF8.GetString(Body);
}
