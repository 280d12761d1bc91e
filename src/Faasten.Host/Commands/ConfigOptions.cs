using System.CommandLine;
using Faasten.Hosting.Configuration;

namespace Faasten.Host.Commands;

/// <summary>The <c>--config FILE</c> option every process command takes, and how its errors are reported.</summary>
internal static class ConfigOptions
{
    public static Option<string?> Create() => new("--config")
    {
        Description = $"YAML configuration file (default: {FaastenConfiguration.DefaultFile} in the working directory, if present); FAASTEN_* variables and flags override it.",
    };

    /// <summary>Writes every error under one heading; the caller exits with 2.</summary>
    public static async Task ReportAsync(TextWriter error, string command, ConfigResult result)
    {
        await error.WriteLineAsync($"faasten {command}: invalid configuration{(result.File is null ? "" : $" ({result.File})")}:");
        foreach (var problem in result.Errors)
        {
            await error.WriteLineAsync($"  - {problem}");
        }
    }
}
