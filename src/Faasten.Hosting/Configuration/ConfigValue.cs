using System.Globalization;
using System.Text.RegularExpressions;

namespace Faasten.Hosting.Configuration;

/// <summary>Parses one configuration value; a bad one throws <see cref="FormatException"/> saying what was expected.</summary>
internal static partial class ConfigValue
{
    // Ten thousand years: more than any limit means, and far enough below TimeSpan's and
    // DateTimeOffset's ends that "now + the limit" cannot overflow.
    private static readonly TimeSpan Longest = TimeSpan.FromDays(3_650_000);

    public static int Int(string text) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"'{text}' is not a whole number");

    public static long Long(string text) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"'{text}' is not a whole number");

    public static bool Bool(string text) => text.ToUpperInvariant() switch
    {
        "TRUE" or "YES" or "ON" or "1" => true,
        "FALSE" or "NO" or "OFF" or "0" => false,
        _ => throw new FormatException($"'{text}' is not true or false"),
    };

    /// <summary>A duration such as <c>250ms</c>, <c>30s</c>, <c>10m</c>, <c>1h</c>, <c>30d</c>, or <c>hh:mm:ss</c>.</summary>
    public static TimeSpan Duration(string text)
    {
        var match = DurationPattern().Match(text);
        if (match.Success && double.TryParse(match.Groups[1].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
        {
            var milliseconds = amount * match.Groups[2].Value switch
            {
                "ms" => 1,
                "s" => 1_000,
                "m" => 60_000,
                "h" => 3_600_000,
                _ => 86_400_000,
            };
            return milliseconds <= Longest.TotalMilliseconds
                ? TimeSpan.FromMilliseconds(milliseconds)
                : throw new FormatException($"'{text}' is longer than any duration a limit can take");
        }

        if (text.Contains(':', StringComparison.Ordinal) && TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) && span >= TimeSpan.Zero)
        {
            return span <= Longest ? span : throw new FormatException($"'{text}' is longer than any duration a limit can take");
        }

        throw new FormatException($"'{text}' is not a duration (e.g. 250ms, 30s, 10m, 1h, 30d)");
    }

    public static TEnum Enum<TEnum>(string text)
        where TEnum : struct, Enum =>
        System.Enum.TryParse<TEnum>(text, ignoreCase: true, out var value) && System.Enum.IsDefined(value) && !int.TryParse(text, out _)
            ? value
            : throw new FormatException($"'{text}' is not one of {string.Join(", ", System.Enum.GetNames<TEnum>().Select(n => n.ToLowerInvariant()))}");

    public static string Show(TimeSpan duration) =>
        duration.TotalDays >= 1 && duration.TotalDays == Math.Floor(duration.TotalDays) ? $"{duration.TotalDays:0}d"
        : duration.TotalHours >= 1 && duration.TotalHours == Math.Floor(duration.TotalHours) ? $"{duration.TotalHours:0}h"
        : duration.TotalMinutes >= 1 && duration.TotalMinutes == Math.Floor(duration.TotalMinutes) ? $"{duration.TotalMinutes:0}m"
        : duration.TotalSeconds >= 1 && duration.TotalSeconds == Math.Floor(duration.TotalSeconds) ? $"{duration.TotalSeconds:0}s"
        : string.Create(CultureInfo.InvariantCulture, $"{duration.TotalMilliseconds:0}ms");

    public static string Show(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Show(bool value) => value ? "true" : "false";

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)(ms|s|m|h|d)$")]
    private static partial Regex DurationPattern();
}
