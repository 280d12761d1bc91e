using System.CommandLine;
using System.Text;
using Faasten.Gateway.Admin;
using Faasten.Hosting;
using Faasten.Hosting.Cluster;

namespace Faasten.Host.Commands;

/// <summary>
/// <c>faasten admin useradd NAME [--data DIR | --config FILE] [--exist-ok]</c>: the password is read from stdin
/// (one line; typed without echo on a terminal), hashed, and stored with the user; the home
/// facets <c>home:&lt;NAME,NAME&gt;</c> and <c>home:&lt;T,NAME&gt;</c> are created. With
/// <c>--exist-ok</c> an existing user is kept as it is (its password too) and that is success,
/// so set-up scripts can run again on their data.
/// </summary>
internal static class AdminUserAddCommand
{
    private static readonly Argument<string> NameArgument = new("name") { Description = "User name (letters, digits, '_', '.', '-'); also the user's principal." };

    private static readonly Option<bool> ExistOkOption = new("--exist-ok")
    {
        Description = "An existing user is no error: it is kept as it is (its password is not changed).",
    };

    public static Command Create()
    {
        var command = new Command("useradd", "Add a user; the password is read from stdin.")
        {
            NameArgument,
            AdminCommand.DataOption,
            AdminTarget.ConfigOption,
            ExistOkOption,
        };
        command.SetAction(async (parseResult, ct) => (int)await AdminCommand.OnTargetAsync(parseResult, "useradd", target => RunAsync(
            Console.In,
            !Console.IsInputRedirected,
            parseResult.InvocationConfiguration.Output,
            parseResult.InvocationConfiguration.Error,
            parseResult.GetRequiredValue(NameArgument),
            target,
            ct,
            parseResult.GetValue(ExistOkOption))));
        return command;
    }

    public static Task<AdminExitCode> RunAsync(TextReader input, bool interactive, TextWriter output, TextWriter error, string name, string data, CancellationToken ct, bool existOk = false) =>
        RunAsync(input, interactive, output, error, name, new AdminTarget(data, null, null), ct, existOk);

    public static async Task<AdminExitCode> RunAsync(TextReader input, bool interactive, TextWriter output, TextWriter error, string name, AdminTarget target, CancellationToken ct, bool existOk = false)
    {
        if (interactive)
        {
            await error.WriteAsync($"Password for {name}: ");
        }

        var password = interactive ? ReadHidden() : await input.ReadLineAsync(ct);
        if (interactive)
        {
            await error.WriteLineAsync();
        }

        if (string.IsNullOrEmpty(password))
        {
            await error.WriteLineAsync("faasten admin useradd: the password (first line of stdin) is empty");
            return AdminExitCode.BadInput;
        }

        var result = target.Cluster is { } cluster
            ? await ClusterAdmin.AddUserAsync(cluster, name, password, ct)
            : await EmbeddedAdmin.AddUserAsync(target.DataDirectory, name, password, ct);
        if (existOk && result.Status == AdminStatus.Exists)
        {
            await output.WriteLineAsync($"user {name} already exists; kept as it is");
            return AdminExitCode.Success;
        }

        await (result.IsOk ? output : error).WriteLineAsync(result.IsOk ? result.Message : $"faasten admin useradd: {result.Message}");
        return AdminCommand.ToExitCode(result.Status);
    }

    private static string ReadHidden()
    {
        var password = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                return password.ToString();
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (password.Length > 0)
                {
                    password.Length--;
                }
            }
            else if (!char.IsControl(key.KeyChar))
            {
                password.Append(key.KeyChar);
            }
        }
    }
}
