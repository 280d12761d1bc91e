using System.CommandLine;
using Faasten.Hosting.Configuration;

namespace Faasten.Host.Commands;

/// <summary>
/// What a <c>faasten admin</c> command acts on: a data directory (<c>--data</c>, the default), or
/// the stores a configuration file names (<c>--config</c>, FAASTEN_* variables overriding it as
/// for every process): a cluster's PostgreSQL and S3, or, when it names none, its data directory.
/// </summary>
internal sealed record AdminTarget(string? DataDirectory, FaastenSettings? Cluster, string? SigningKeyFile)
{
    internal static readonly Option<string?> ConfigOption = new("--config")
    {
        Description = "The YAML configuration the gateways and workers read (FAASTEN_* variables override it): act on the cluster stores it names (metadata.postgres, blobs.s3; tokens.signingKeyFile for tokens) instead of a data directory.",
    };

    /// <summary>The target the command line names; null after writing why there is none (exit <see cref="AdminExitCode.BadInput"/>).</summary>
    public static async Task<AdminTarget?> ResolveAsync(ParseResult parseResult, TextWriter error, string command)
    {
        var config = parseResult.GetValue(ConfigOption);
        var data = parseResult.GetRequiredValue(AdminCommand.DataOption);
        if (config is null)
        {
            return new AdminTarget(data, null, null);
        }

        if (parseResult.GetResult(AdminCommand.DataOption) is { Implicit: false })
        {
            await error.WriteLineAsync($"faasten admin {command}: give --data or --config, not both");
            return null;
        }

        var loaded = FaastenConfiguration.Load(config, checkSandbox: false);
        if (loaded.Settings is not { } settings)
        {
            await ConfigOptions.ReportAsync(error, "admin " + command, loaded);
            return null;
        }

        return settings.Cluster.Configured
            ? new AdminTarget(null, settings, settings.Server.SigningKeyFile)
            : new AdminTarget(settings.Server.DataDirectory ?? data, null, settings.Server.SigningKeyFile);
    }

    /// <summary>An engine unreachable or refusing: the message names it; never the connection string's secrets.</summary>
    public static bool IsUnavailable(Exception e) =>
        e is System.Data.Common.DbException or Amazon.Runtime.AmazonServiceException or System.Net.Http.HttpRequestException or TimeoutException or IOException or UnauthorizedAccessException or InvalidDataException;
}
