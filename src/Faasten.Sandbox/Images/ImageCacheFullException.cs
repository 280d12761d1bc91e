namespace Faasten.Sandbox.Images;

/// <summary>
/// A new image does not fit in <see cref="FunctionImageCacheOptions.MaxCacheBytes"/> even after
/// evicting every image no VM holds. Transient: the image is fine, the worker is busy.
/// </summary>
public sealed class ImageCacheFullException(string message) : IOException(message);
