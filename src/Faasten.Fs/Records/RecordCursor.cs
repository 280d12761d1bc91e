using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Faasten.Fs.Records;

/// <summary>
/// A position in the newest-first order of records: the last record a page returned (its queue
/// time and id). Built only from records the caller was shown, so it tells nothing of others.
/// </summary>
public readonly record struct RecordCursor(long QueuedMs, string Id)
{
    public static RecordCursor After(InvocationRecord record) => new(record.Queued.ToUnixTimeMilliseconds(), record.Id);

    public override string ToString() => QueuedMs.ToString(CultureInfo.InvariantCulture) + "." + Id;

    public static bool TryParse(string? text, [NotNullWhen(true)] out RecordCursor? cursor)
    {
        cursor = null;
        var dot = text?.IndexOf('.', StringComparison.Ordinal) ?? -1;
        if (text is null || dot <= 0 || text.Length > 128)
        {
            return false;
        }

        var id = text[(dot + 1)..];
        if (!long.TryParse(text.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            || id.Length == 0 || !id.All(char.IsAsciiLetterOrDigit))
        {
            return false;
        }

        cursor = new RecordCursor(ms, id);
        return true;
    }
}
