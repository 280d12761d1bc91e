using System.CommandLine;
using Faasten.Host.Commands;

var root = new RootCommand("faasten: the Faasten server, admin tools and label calculator.");
root.Subcommands.Add(LabelCommand.Create());
root.Subcommands.Add(RunCommand.Create());
root.Subcommands.Add(ServeCommand.Create());
root.Subcommands.Add(ClusterCommand.Create("gateway", "Cluster: the HTTP front-ends (gateway, authentication, event server), no sandbox.", runsVms: false));
root.Subcommands.Add(ClusterCommand.Create("worker", "Cluster: runs invocations from the shared queue, no public HTTP.", runsVms: true));
root.Subcommands.Add(ConfigCommand.Create());
root.Subcommands.Add(AdminCommand.Create());
var parsed = root.Parse(args);
var exitCode = await parsed.InvokeAsync(ServeCommand.InvocationFor(parsed));
// A usage error is 2, distinct from 1, which `label flows` uses for "does not flow".
return parsed.Errors.Count > 0 ? 2 : exitCode;
