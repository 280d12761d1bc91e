using System.CommandLine;

var root = new RootCommand("fstn: the Faasten command-line client.");
return await root.Parse(args).InvokeAsync();
