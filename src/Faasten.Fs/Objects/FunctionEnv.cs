using System.Collections.Immutable;
using System.Text;

namespace Faasten.Fs.Objects;

/// <summary>
/// Bounds of a gate's environment variables. They live in the gate's record in the metadata
/// store and travel with every invocation, so they stay small; names are what a POSIX shell
/// accepts, so <c>os.environ</c> holds exactly what the gate says.
/// </summary>
public static class FunctionEnv
{
    public const int MaxVariables = 64;
    public const int MaxNameLength = 128;
    public const int MaxValueBytes = 4096;
    public const int MaxTotalBytes = 32 * 1024;

    public static string? Validate(ImmutableSortedDictionary<string, string> env)
    {
        if (env.Count > MaxVariables)
        {
            return $"'env' holds {env.Count} variables; at most {MaxVariables} are allowed";
        }

        var total = 0;
        foreach (var (name, value) in env)
        {
            if (!IsName(name))
            {
                return $"bad name in 'env': '{FunctionSpec.Clip(name)}' (letters, digits and '_', not starting with a digit, at most {MaxNameLength})";
            }

            var bytes = Encoding.UTF8.GetByteCount(value);
            if (bytes > MaxValueBytes || value.Contains('\0', StringComparison.Ordinal))
            {
                return $"bad value in 'env' for '{name}': at most {MaxValueBytes} bytes of UTF-8 and no NUL";
            }

            total += name.Length + bytes;
        }

        return total > MaxTotalBytes ? $"'env' holds {total} bytes; at most {MaxTotalBytes} are allowed" : null;
    }

    private static bool IsName(string name)
    {
        if (name.Length is 0 or > MaxNameLength || char.IsAsciiDigit(name[0]))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                return false;
            }
        }

        return true;
    }
}
