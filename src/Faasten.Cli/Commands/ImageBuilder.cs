namespace Faasten.Cli.Commands;

/// <summary>
/// Builds a function image from a source directory into <c>output</c>; returns null on
/// success or a one-line reason. A seam so <c>register</c> can be tested without mksquashfs.
/// </summary>
internal delegate Task<string?> ImageBuilder(string sourceDirectory, string output, CancellationToken cancellationToken);
