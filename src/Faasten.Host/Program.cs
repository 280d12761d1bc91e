using System.CommandLine;
using Faasten.Host.Commands;

var root = new RootCommand("faasten: the Faasten server, admin tools and label calculator.");
root.Subcommands.Add(LabelCommand.Create());
root.Subcommands.Add(RunCommand.Create());
return await root.Parse(args).InvokeAsync();
