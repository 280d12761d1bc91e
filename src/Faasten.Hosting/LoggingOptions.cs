using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Faasten.Hosting;

/// <summary>How the process logs to its console.</summary>
public sealed record LoggingOptions
{
    /// <summary><c>text</c> (one line per event) or <c>json</c> (one JSON object per line, for collectors).</summary>
    public LogFormat Format { get; init; } = LogFormat.Text;

    public LogLevel Level { get; init; } = LogLevel.Information;

    internal void Apply(ILoggingBuilder logging)
    {
        if (Format == LogFormat.Json)
        {
            logging.AddJsonConsole(json => json.TimestampFormat = "O");
        }
        else
        {
            // Made by the container, so disposing the factory writes what is still buffered.
            logging.Services.AddSingleton<ILoggerProvider>(_ => new TextConsoleLoggerProvider(Console.Out));
        }

        logging.SetMinimumLevel(Level);
        // Per-request framework logs cost throughput; start/stop are reported by our own events,
        // and a failed bind surfaces as the exception StartAsync throws.
        logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.Critical);
    }
}

public enum LogFormat
{
    Text,
    Json,
}
