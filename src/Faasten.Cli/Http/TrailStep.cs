namespace Faasten.Cli.Http;

/// <summary>One step that raised an invocation's label, and the label after it.</summary>
internal sealed record TrailStep(string What, string Label);
