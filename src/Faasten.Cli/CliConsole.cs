using System.Text;

namespace Faasten.Cli;

/// <summary>
/// Everything a command reads from or writes to the terminal, so tests can run commands
/// in-process against captured writers and a scripted stdin.
/// </summary>
internal sealed class CliConsole
{
    /// <summary>Text output (results, listings, JSON).</summary>
    public required TextWriter Out { get; init; }

    /// <summary>Diagnostics: error lines, prompts, the progress bar.</summary>
    public required TextWriter Error { get; init; }

    /// <summary>Raw stdout for byte content (<c>fstn cat</c>); <see cref="Out"/> is flushed before it is used.</summary>
    public required Stream StandardOutput { get; init; }

    public required Stream StandardInput { get; init; }

    /// <summary>False when stdin is a terminal: then passwords are prompted for without echo.</summary>
    public bool IsInputRedirected { get; init; } = true;

    /// <summary>True when stderr is a terminal: only then is a progress bar drawn.</summary>
    public bool IsErrorTerminal { get; init; }

    /// <summary>Reads a line from the terminal without echoing it; only called when stdin is a terminal.</summary>
    public Func<string, string?> ReadSecret { get; init; } = static _ => null;

    /// <summary>Reads a line from the terminal with echo; only called when stdin is a terminal.</summary>
    public Func<string, string?> ReadLine { get; init; } = static _ => null;

    public static CliConsole CreateSystem() => new()
    {
        Out = Console.Out,
        Error = Console.Error,
        StandardOutput = Console.OpenStandardOutput(),
        StandardInput = Console.OpenStandardInput(),
        IsInputRedirected = Console.IsInputRedirected,
        IsErrorTerminal = !Console.IsErrorRedirected,
        ReadSecret = TerminalPrompt.ReadSecret,
        ReadLine = TerminalPrompt.ReadLine,
    };

    /// <summary>Reads the first line of stdin (without its line ending), or null when stdin is empty.</summary>
    public async Task<string?> ReadStdinLineAsync(CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(StandardInput, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
        return await reader.ReadLineAsync(cancellationToken);
    }
}
