namespace Faasten.Gateway.Console;

/// <summary>One static file of the console.</summary>
/// <param name="ETag">A strong validator over the content, so a browser revalidates cheaply after an upgrade.</param>
internal sealed record ConsoleAsset(byte[] Content, string ContentType, string ETag);
