namespace Faasten.Worker.Tests.Support;

internal sealed record RecordedRequest(string Method, string Url, IReadOnlyDictionary<string, string> Headers, byte[] Body);
