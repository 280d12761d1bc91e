using System.CommandLine;

var root = new RootCommand("faasten: the Faasten server, admin tools and label calculator.");
return await root.Parse(args).InvokeAsync();
