using System.Collections;
using Microsoft.Extensions.Configuration;

namespace Faasten.Hosting.Configuration;

/// <summary>
/// Loads a process's configuration (DESIGN §8): the YAML file (<c>--config</c>, else
/// <c>faasten.yaml</c> in the working directory when present), overridden by
/// <c>FAASTEN_…</c> environment variables, overridden by command-line flags. Unknown keys
/// and bad values are errors, all reported at once; nothing falls back to a default silently.
/// </summary>
public static class FaastenConfiguration
{
    public const string DefaultFile = "faasten.yaml";
    public const string EnvironmentPrefix = "FAASTEN_";

    private static readonly HashSet<string> TopLevelKeys = new(ConfigKeys.All.Where(k => !k.Path.Contains('.', StringComparison.Ordinal)).Select(k => k.Path), StringComparer.OrdinalIgnoreCase);

    /// <param name="file">The <c>--config</c> file; null looks for <see cref="DefaultFile"/> in <paramref name="workingDirectory"/>.</param>
    /// <param name="flags">Command-line overrides by dotted key (e.g. <c>data</c>, <c>listen</c>).</param>
    /// <param name="environment">The environment; null reads the process's.</param>
    /// <param name="checkSandbox">Also check the sandbox's executables and runtime (processes that run VMs).</param>
    public static ConfigResult Load(
        string? file,
        IReadOnlyDictionary<string, string?>? flags = null,
        IDictionary? environment = null,
        string? workingDirectory = null,
        bool checkSandbox = true)
    {
        var errors = new List<string>();
        var builder = new ConfigurationBuilder();
        var sources = new List<string>();
        var path = file ?? DefaultFileIn(workingDirectory ?? Directory.GetCurrentDirectory());
        if (path is not null)
        {
            var full = Path.GetFullPath(path, workingDirectory ?? Directory.GetCurrentDirectory());
            if (!File.Exists(full))
            {
                return ConfigResult.Failed(full, [$"config file {full} does not exist"]);
            }

            builder.AddYamlFile(full, optional: false, reloadOnChange: false);
            sources.Add(full);
            path = full;
        }

        builder.AddInMemoryCollection(FromEnvironment(environment ?? Environment.GetEnvironmentVariables()));
        sources.Add("the environment");
        builder.AddInMemoryCollection(flags?.Select(f => KeyValuePair.Create(f.Key.Replace('.', ':'), f.Value)) ?? []);
        sources.Add("the command line");

        IConfigurationRoot configuration;
        try
        {
            configuration = builder.Build();
        }
        catch (Exception e) when (e is FormatException or InvalidDataException or IOException || e.GetType().Namespace?.StartsWith("YamlDotNet", StringComparison.Ordinal) == true)
        {
            return ConfigResult.Failed(path, [$"config file {path} is not valid YAML: {(e.InnerException ?? e).Message}"]);
        }

        var keys = ConfigKeys.All.ToDictionary(k => k.Path.Replace('.', ':'), StringComparer.OrdinalIgnoreCase);
        var settings = new FaastenSettings();
        foreach (var (key, value) in configuration.AsEnumerable().Where(e => e.Value is not null).OrderBy(e => e.Key, StringComparer.OrdinalIgnoreCase))
        {
            var dotted = key.Replace(':', '.');
            if (!keys.TryGetValue(key, out var known))
            {
                errors.Add($"unknown key '{dotted}' (from {SourceOf(configuration, sources, key)}); docs/configuration.md lists every key");
                continue;
            }

            if (value!.Length == 0)
            {
                continue; // set but empty: the default
            }

            try
            {
                settings = known.Apply(settings, value);
            }
            catch (FormatException e)
            {
                errors.Add($"{known.Path}: {e.Message} (from {SourceOf(configuration, sources, key)})");
            }
        }

        errors.AddRange(Check(settings, checkSandbox));
        return errors.Count > 0 ? ConfigResult.Failed(path, errors) : new ConfigResult(settings, [], path);
    }

    /// <summary>
    /// The effective value of every key, in table order. A key that may hold credentials (a
    /// connection string, a URL with a token) shows only whether it is set: masking a part of
    /// it would have to understand every quoting and URL form to be safe.
    /// </summary>
    public static IEnumerable<(string Key, string Value)> Effective(FaastenSettings settings) =>
        ConfigKeys.All.Select(k => (k.Path, k.Secret && k.Show(settings).Length > 0 ? SecretShown : k.Show(settings)));

    /// <summary>How a set credential-bearing key is shown.</summary>
    public const string SecretShown = "(set; not shown)";

    /// <summary>Every key with its description and default, for docs and <c>faasten config check</c>.</summary>
    public static IEnumerable<(string Key, string Default, string Description, string EnvironmentVariable)> Keys() =>
        ConfigKeys.All.Select(k => (k.Path, k.Show(new FaastenSettings()), k.Description, k.EnvironmentVariable));

    private static List<string> Check(FaastenSettings settings, bool checkSandbox)
    {
        var errors = new List<string>();
        var server = settings.Server;
        if (!ListenAddress.TryParse(server.Listen, out var listen, out var listenError))
        {
            errors.Add($"listen: {listenError}");
        }

        if (settings.OperatorListen is { } operatorListen)
        {
            if (!ListenAddress.TryParse(operatorListen, out var operatorEndpoint, out var operatorError))
            {
                errors.Add($"operator.listen: {operatorError}");
            }
            else if (listen is not null && operatorEndpoint.Port != 0 && operatorEndpoint.Port == listen.Port)
            {
                errors.Add("operator.listen: must not be the public port (metrics never share the public endpoint)");
            }
        }

        errors.AddRange((server.Tls?.Validate() ?? []));
        errors.AddRange(Named("gateway:", server.Gateway.Validate()));
        errors.AddRange(Named("worker:", server.Worker.Validate()));
        errors.AddRange(Named("gc:", server.Collector.Validate()));
        errors.AddRange(Named("records:", server.Records.Validate()));
        errors.AddRange(settings.Cluster.Validate());
        if (checkSandbox)
        {
            errors.AddRange(Named("sandbox:", (server.Sandbox ?? new()).Validate()));
        }

        return errors;
    }

    /// <summary>An option record's errors under the keys that set the properties they name.</summary>
    private static IEnumerable<string> Named(string record, IEnumerable<string> messages)
    {
        foreach (var message in messages)
        {
            var property = message.Split(' ', 2)[0].TrimEnd(',', ':', '.');
            var key = ConfigKeys.All.FirstOrDefault(k => k.Property == record + property);
            yield return key is null ? $"{record.TrimEnd(':')}: {message}" : $"{key.Path}: {message}";
        }
    }

    private static string? DefaultFileIn(string directory)
    {
        var candidate = Path.Combine(directory, DefaultFile);
        return File.Exists(candidate) ? candidate : null;
    }

    private static IEnumerable<KeyValuePair<string, string?>> FromEnvironment(IDictionary environment)
    {
        foreach (DictionaryEntry entry in environment)
        {
            if (entry.Key is string name && name.StartsWith(EnvironmentPrefix, StringComparison.OrdinalIgnoreCase) && name.Length > EnvironmentPrefix.Length)
            {
                // A key path has a double underscore, or is a top-level key (FAASTEN_DATA); other
                // FAASTEN_ names (a script's own FAASTEN_DEMO_DATA) are not configuration.
                var key = name[EnvironmentPrefix.Length..];
                if (key.Contains("__", StringComparison.Ordinal) || TopLevelKeys.Contains(key))
                {
                    yield return KeyValuePair.Create(key.Replace("__", ":", StringComparison.Ordinal), entry.Value as string);
                }
            }
        }
    }

    /// <summary>The last source that sets <paramref name="key"/>: the one whose value counts.</summary>
    private static string SourceOf(IConfigurationRoot configuration, List<string> sources, string key)
    {
        var providers = configuration.Providers.ToList();
        var last = providers.FindLastIndex(p => p.TryGet(key, out _));
        return last >= 0 ? sources[last] : "nowhere";
    }
}

/// <summary>A loaded configuration: the settings, or every error.</summary>
/// <param name="File">The YAML file read, if any.</param>
public sealed record ConfigResult(FaastenSettings? Settings, IReadOnlyList<string> Errors, string? File)
{
    public bool IsValid => Settings is not null;

    internal static ConfigResult Failed(string? file, IReadOnlyList<string> errors) => new(null, errors, file);
}
