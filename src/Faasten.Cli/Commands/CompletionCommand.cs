using System.CommandLine;

namespace Faasten.Cli.Commands;

/// <summary>
/// <c>fstn completion bash|zsh</c>: prints a shell function that asks fstn itself for
/// completions through System.CommandLine's <c>[suggest]</c> directive, so completions always
/// match this version's commands and options. Enable with <c>source &lt;(fstn completion bash)</c>.
/// </summary>
internal static class CompletionCommand
{
    private const string Bash = """
        # fstn completion for bash: source <(fstn completion bash)
        _fstn_complete() {
            local IFS=$'\n'
            COMPREPLY=( $(fstn "[suggest:${COMP_POINT}]" "${COMP_LINE}" 2>/dev/null) )
        }
        complete -o default -F _fstn_complete fstn
        """;

    private const string Zsh = """
        # fstn completion for zsh: source <(fstn completion zsh)
        _fstn_complete() {
            local -a completions
            completions=("${(@f)$(fstn "[suggest:${CURSOR}]" "${BUFFER}" 2>/dev/null)}")
            compadd -- "${completions[@]}"
        }
        compdef _fstn_complete fstn
        """;

    private static readonly Argument<string> ShellArgument = new("shell")
    {
        Description = "The shell: bash or zsh.",
    };

    static CompletionCommand() => ShellArgument.AcceptOnlyFromAmong("bash", "zsh");

    public static Command Create(CliHost host)
    {
        var command = new Command("completion", "Print a shell completion script: source <(fstn completion bash), or zsh.") { ShellArgument };
        command.SetAction(parseResult =>
        {
            host.Console.Out.WriteLine(parseResult.GetRequiredValue(ShellArgument) == "zsh" ? Zsh : Bash);
            return (int)ExitCode.Success;
        });
        return command;
    }
}
