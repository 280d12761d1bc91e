using Spectre.Console;
using Spectre.Console.Rendering;

namespace Faasten.Cli.Output;

/// <summary>
/// Borderless aligned columns rendered by Spectre.Console into any writer: no colors, no
/// wrapping and no trailing spaces, so the text pastes and greps cleanly.
/// </summary>
internal static class TableWriter
{
    public static void Write(TextWriter output, IEnumerable<IReadOnlyList<string>> rows)
    {
        var table = new Table().NoBorder().HideHeaders();
        var first = true;
        foreach (var row in rows)
        {
            if (first)
            {
                for (var i = 0; i < row.Count; i++)
                {
                    table.AddColumn(new TableColumn(string.Empty).PadLeft(0).PadRight(i == row.Count - 1 ? 0 : 2).NoWrap());
                }
                first = false;
            }
            table.AddRow(row.Select(static cell => (IRenderable)new Text(cell)).ToArray());
        }
        if (first)
        {
            return;
        }

        var rendered = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(rendered),
        });
        console.Profile.Width = 32_767; // never wrap: long names stay on one line
        console.Write(table);
        foreach (var line in rendered.ToString().ReplaceLineEndings("\n").Split('\n'))
        {
            var trimmed = line.TrimEnd();
            if (trimmed.Length > 0)
            {
                output.WriteLine(trimmed);
            }
        }
    }
}
