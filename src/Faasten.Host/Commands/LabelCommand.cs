using System.CommandLine;

namespace Faasten.Host.Commands;

/// <summary>
/// <c>faasten label ...</c>: a label calculator for people debugging policies. Malformed label
/// text exits 2 with the offset and a caret on stderr; <c>flows</c> exits 0/1 like a predicate.
/// </summary>
internal static class LabelCommand
{
    public static Command Create() => new("label", "Label calculator for debugging policies (Buckle labels 'secrecy,integrity').")
    {
        LabelParseCommand.Create(),
        LabelFlowsCommand.Create(),
        LabelLatticeCommand.CreateLub(),
        LabelLatticeCommand.CreateGlb(),
        LabelDowngradeCommand.Create(),
    };
}
