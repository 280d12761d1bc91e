using Faasten.Cli.Http;

namespace Faasten.Cli.Commands;

/// <summary><c>NAME=VALUE</c> arguments (<c>--env</c>, <c>--header</c>): the format here, the rules on the server.</summary>
internal static class EnvArguments
{
    /// <returns>An error naming the option and the argument, or null with <paramref name="values"/> set (null when none were given).</returns>
    public static ApiError? TryParse(IReadOnlyList<string> arguments, out Dictionary<string, string>? values, string option = "--env", char separator = '=')
    {
        values = null;
        foreach (var argument in arguments)
        {
            var at = argument.IndexOf(separator, StringComparison.Ordinal);
            if (at <= 0)
            {
                values = null;
                return ApiError.BadInput($"{option} '{argument}' must be NAME{separator}VALUE", "usage");
            }

            values ??= new Dictionary<string, string>(StringComparer.Ordinal);
            var name = argument[..at].Trim();
            if (!values.TryAdd(name, argument[(at + 1)..].TrimStart()))
            {
                values = null;
                return ApiError.BadInput($"{option} gives '{name}' twice", "usage");
            }
        }

        return null;
    }
}
