using Faasten.Cli;

return await CliRoot.RunAsync(args, static (_, _, _) => Task.FromResult<string?>("image building is not available in this build"));
