namespace Faasten.Cli.Http;

/// <summary><c>POST /fs/blob</c>: the SHA-256 of the uploaded bytes (hex) and their count.</summary>
internal sealed record BlobResponse(string Hash, long Size);
