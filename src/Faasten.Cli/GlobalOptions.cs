using System.CommandLine;

namespace Faasten.Cli;

/// <summary>Options every command accepts.</summary>
internal static class GlobalOptions
{
    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Print machine-readable JSON instead of text (errors too, on stderr).",
        Recursive = true,
    };
}
