using System.Buffers;
using Faasten.Labels;

namespace Faasten.Gateway.Auth;

/// <summary>
/// User names are single principal tokens of a conservative alphabet, so a name is its own
/// principal, its privilege, a metadata key and a path component without escaping.
/// </summary>
internal static class UserNames
{
    public const int MaxLength = 64;

    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-");

    /// <summary>Null when <paramref name="name"/> is acceptable, else why not.</summary>
    public static string? Check(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "a user name is required";
        }

        if (name.Length > MaxLength)
        {
            return $"a user name has at most {MaxLength} characters";
        }

        if (name.AsSpan().ContainsAnyExcept(Allowed))
        {
            return "a user name may contain only letters, digits, '_', '.' and '-'";
        }

        // T and F are the keywords true and false as a whole component.
        return name is "T" or "F" ? "'T' and 'F' are reserved" : null;
    }

    public static Component Privilege(string name) => Component.FromPrincipal(new Principal(name));
}
