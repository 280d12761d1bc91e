using System.CommandLine;
using Faasten.Hosting.Configuration;

namespace Faasten.Host.Commands;

/// <summary>
/// <c>faasten config check [--config FILE]</c>: loads the configuration as <c>serve</c> would
/// (file, environment) and prints every error (exit 2), or the effective value of every key
/// with secrets masked (exit 0).
/// </summary>
internal static class ConfigCommand
{
    public static Command Create()
    {
        var config = ConfigOptions.Create();
        var check = new Command("check", "Check the configuration: every error at once, else the effective configuration (secrets masked).") { config };
        check.SetAction(async (parseResult, _) => await CheckAsync(
            parseResult.InvocationConfiguration.Output,
            parseResult.InvocationConfiguration.Error,
            parseResult.GetValue(config)));
        return new Command("config", "Inspect the configuration (DESIGN §8; docs/configuration.md lists every key).") { check };
    }

    public static async Task<int> CheckAsync(TextWriter output, TextWriter error, string? file)
    {
        var loaded = FaastenConfiguration.Load(file);
        if (loaded.Settings is not { } settings)
        {
            await ConfigOptions.ReportAsync(error, "config check", loaded);
            return 2;
        }

        await output.WriteLineAsync($"# effective configuration: {(loaded.File is null ? "defaults" : loaded.File)}, then FAASTEN_* variables; secrets masked");
        foreach (var (key, value) in FaastenConfiguration.Effective(settings))
        {
            await output.WriteLineAsync($"{key}: {(value.Length == 0 ? "~" : value)}");
        }

        return 0;
    }
}
