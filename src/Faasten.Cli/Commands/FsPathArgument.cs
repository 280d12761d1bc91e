using System.CommandLine;
using Faasten.Cli.Http;

namespace Faasten.Cli.Commands;

/// <summary>Faasten-FS path arguments, and the one mistake a shell makes with them.</summary>
internal static class FsPathArgument
{
    public static Argument<string> Create(string name, string description) => new(name) { Description = description };

    /// <summary>
    /// An unquoted <c>~</c> reaches us as the local home directory; no Faasten path starts
    /// with '/', so say what happened instead of letting the server report a missing name.
    /// </summary>
    public static ApiError? Check(string path) =>
        path.StartsWith('/')
            ? ApiError.BadInput($"'{path}' looks like a local path (did the shell expand '~'? quote it: '~:...')", "bad_path")
            : null;
}
