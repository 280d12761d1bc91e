using System.Text;
using System.Text.RegularExpressions;

namespace Faasten.Tests.Common.Tutorial;

/// <summary>docs/tutorial.md, read as the test needs it: its shell blocks, in order, verbatim.</summary>
public sealed partial class TutorialDocument
{
    private TutorialDocument(string root, string text)
    {
        RepositoryRoot = root;
        Text = text;
    }

    public string RepositoryRoot { get; }

    public string Text { get; }

    public static TutorialDocument Load()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Faasten.slnx")))
        {
            directory = directory.Parent;
        }
        if (directory is null)
        {
            throw new InvalidOperationException($"No Faasten.slnx above {AppContext.BaseDirectory}.");
        }
        return new TutorialDocument(directory.FullName, File.ReadAllText(Path.Combine(directory.FullName, "docs", "tutorial.md")));
    }

    /// <summary>The contents of every <c>```sh</c> block, in document order.</summary>
    public IReadOnlyList<string> ShellBlocks() => Blocks("sh");

    /// <summary>The contents of every <c>```text</c> block: the output the tutorial promises.</summary>
    public IReadOnlyList<string> OutputBlocks() => Blocks("text");

    /// <summary>The password the tutorial gives <paramref name="user"/> (<c>echo 'PASSWORD' | fstn login --user USER</c>).</summary>
    public string PasswordOf(string user)
    {
        var match = Regex.Match(Text, $@"echo '([^']+)' \| fstn login --user {Regex.Escape(user)}\b");
        return match.Success ? match.Groups[1].Value : throw new InvalidOperationException($"The tutorial never logs in as {user}.");
    }

    /// <summary>
    /// One bash script of all shell blocks. The only addition is the shell's strict mode, so
    /// a failing step fails the run instead of being masked by the steps after it.
    /// </summary>
    public string Script() => Script(new Dictionary<string, string>());

    /// <summary>
    /// The script with some blocks replaced: each key names text found in exactly one block,
    /// which is run as the value instead (empty: left out). Another deployment (a cluster) swaps
    /// the server start and the user setup this way and runs every other step as written; a
    /// key that matches no block or several fails, so the tutorial cannot drift from the test.
    /// </summary>
    public string Script(IReadOnlyDictionary<string, string> replacements)
    {
        var blocks = ShellBlocks();
        var replaced = blocks.ToArray();
        foreach (var (marker, replacement) in replacements)
        {
            var matches = Enumerable.Range(0, blocks.Count).Where(i => blocks[i].Contains(marker, StringComparison.Ordinal)).ToList();
            if (matches.Count != 1)
            {
                throw new InvalidOperationException($"'{marker}' is in {matches.Count} of the tutorial's shell blocks; a replacement must name exactly one.");
            }
            replaced[matches[0]] = replacement;
        }

        var script = new StringBuilder("set -euo pipefail\n");
        foreach (var block in replaced)
        {
            script.Append(block).Append('\n');
        }
        return script.ToString();
    }

    private List<string> Blocks(string language) =>
        FencedBlock().Matches(Text.ReplaceLineEndings("\n"))
            .Where(m => m.Groups["lang"].Value == language)
            .Select(m => m.Groups["body"].Value)
            .ToList();

    [GeneratedRegex(@"^```(?<lang>[a-z]*)\n(?<body>.*?)^```$", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex FencedBlock();
}
