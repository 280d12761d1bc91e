using Faasten.Cli;
using Faasten.Cli.Commands;

return await CliRoot.RunAsync(args, BuildCommand.BuildImageAsync);
