using Faasten.Cli.Http;

namespace Faasten.Cli.Commands;

/// <summary>Invocation ids are letters and digits (the server's are 32 hex digits): anything else is a typo, said before asking.</summary>
internal static class InvocationIdArgument
{
    public static ApiError? Check(string id) =>
        id.Length is > 0 and <= 128 && id.All(char.IsAsciiLetterOrDigit)
            ? null
            : ApiError.BadInput($"'{(id.Length > 40 ? id[..40] + "…" : id)}' is not an invocation id (letters and digits, as 'fstn invoke' printed it)");
}
