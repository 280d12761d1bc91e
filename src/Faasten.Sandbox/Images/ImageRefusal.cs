namespace Faasten.Sandbox.Images;

/// <summary>
/// Marks an image refused by a rule of its own (too many entries or bytes, a special file,
/// content that does not hash to its name), as opposed to one the extractor could not read.
/// Such a message names only the image's hash, the rule and what of the image broke it, never a
/// host path, so the worker may pass it to the caller. (<see cref="InvalidDataException"/> is
/// sealed, so the mark is in its <see cref="Exception.Data"/>.)
/// </summary>
public static class ImageRefusal
{
    private const string Key = "Faasten.ImageRefusal";

    public static InvalidDataException Create(string message)
    {
        var e = new InvalidDataException(message);
        e.Data[Key] = true;
        return e;
    }

    public static bool IsRefusal(Exception e) => e.Data.Contains(Key);
}
