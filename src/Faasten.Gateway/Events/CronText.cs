using Cronos;

namespace Faasten.Gateway.Events;

/// <summary>Schedule expressions: standard five-field cron (minute hour day month weekday), in UTC.</summary>
internal static class CronText
{
    public static bool TryParse(string? text, out CronExpression? expression, out string? error)
    {
        (expression, error) = (null, null);
        if (string.IsNullOrWhiteSpace(text) || text.Length > 256)
        {
            error = "'cron' must be a cron expression of five fields (minute hour day month weekday), e.g. '*/5 * * * *'";
            return false;
        }

        try
        {
            expression = CronExpression.Parse(text, CronFormat.Standard);
            return true;
        }
        catch (CronFormatException e)
        {
            error = $"bad cron expression in 'cron': {e.Message}";
            return false;
        }
    }
}
