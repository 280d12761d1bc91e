using System.Text;

namespace Faasten.Cli;

/// <summary>Interactive prompts on the real terminal: the password is read key by key so it is never echoed.</summary>
internal static class TerminalPrompt
{
    public static string? ReadLine(string prompt)
    {
        Console.Error.Write(prompt);
        return Console.ReadLine();
    }

    public static string? ReadSecret(string prompt)
    {
        Console.Error.Write(prompt);
        var secret = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            switch (key.Key)
            {
                case ConsoleKey.Enter:
                    Console.Error.WriteLine();
                    return secret.ToString();
                case ConsoleKey.Backspace:
                    if (secret.Length > 0)
                    {
                        secret.Length--;
                    }
                    break;
                default:
                    // Ctrl+D on an empty line ends input like EOF would.
                    if (key.Key == ConsoleKey.D && key.Modifiers.HasFlag(ConsoleModifiers.Control) && secret.Length == 0)
                    {
                        Console.Error.WriteLine();
                        return null;
                    }
                    if (!char.IsControl(key.KeyChar))
                    {
                        secret.Append(key.KeyChar);
                    }
                    break;
            }
        }
    }
}
