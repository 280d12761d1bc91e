using System.CommandLine;
using Faasten.Host.Commands;

var root = new RootCommand("faasten: the Faasten server, admin tools and label calculator.");
root.Subcommands.Add(LabelCommand.Create());
root.Subcommands.Add(RunCommand.Create());
root.Subcommands.Add(ServeCommand.Create());
root.Subcommands.Add(AdminCommand.Create());
var parsed = root.Parse(args);
return await parsed.InvokeAsync(ServeCommand.InvocationFor(parsed));
