namespace Faasten.Tests.Common.Http;

/// <summary>One request a <see cref="LoopbackHttpServer"/> received.</summary>
public sealed record RecordedRequest(string Method, string Url, IReadOnlyDictionary<string, string> Headers, byte[] Body);
