namespace Faasten.Cli.Config;

/// <summary>The environment variables fstn reads, behind a lookup so tests can supply their own.</summary>
internal sealed class CliEnvironment(Func<string, string?> lookup)
{
    public const string ServerVariable = "FSTN_SERVER";
    public const string TokenVariable = "FSTN_TOKEN";
    public const string DefaultServer = "http://127.0.0.1:8080";

    public static CliEnvironment System { get; } = new(Environment.GetEnvironmentVariable);

    public static CliEnvironment FromDictionary(IReadOnlyDictionary<string, string> variables) =>
        new(name => variables.TryGetValue(name, out var value) ? value : null);

    public string? Get(string name)
    {
        var value = lookup(name);
        return string.IsNullOrEmpty(value) ? null : value;
    }

    /// <summary>
    /// <c>$XDG_CONFIG_HOME/fstn</c>, else <c>$HOME/.config/fstn</c>. Relative XDG paths are
    /// ignored, as the XDG base directory specification requires.
    /// </summary>
    public string ConfigDirectory()
    {
        var xdg = Get("XDG_CONFIG_HOME");
        if (xdg is not null && Path.IsPathRooted(xdg))
        {
            return Path.Combine(xdg, "fstn");
        }
        var home = Get("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Path.Combine(home, ".config", "fstn");
    }
}
