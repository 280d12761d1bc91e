namespace Faasten.Sandbox.Tests.Kernel;

internal sealed record RecordedRequest(string Method, string Url, IReadOnlyDictionary<string, string> Headers, byte[] Body);
