using System.Xml.Linq;
using Faasten.Hosting.Tests.Support;

namespace Faasten.Hosting.Tests;

/// <summary>
/// The dependency rules of docs/design.md, read from the project files themselves (every
/// ProjectReference, followed transitively), so a new reference that breaks them fails here.
/// </summary>
public sealed class ProjectGraphTests
{
    private static readonly Lazy<Dictionary<string, string[]>> Graph = new(ReadGraph);

    [Theory]
    [InlineData("Faasten.Gateway", "Faasten.Sandbox")]
    [InlineData("Faasten.Gateway", "Faasten.Worker")]
    [InlineData("Faasten.Gateway", "Faasten.Kernel")]
    [InlineData("Faasten.Sandbox", "Faasten.Fs")]
    [InlineData("Faasten.Sandbox", "Faasten.Kernel")]
    [InlineData("Faasten.Kernel", "Faasten.Sandbox")]
    [InlineData("Faasten.Fs", "Faasten.Protocol")]
    [InlineData("Faasten.Labels", "Faasten.Fs")]
    [InlineData("Faasten.Cli", "Faasten.Fs")]
    [InlineData("Faasten.Queue.Nats", "Faasten.Fs")]
    [InlineData("Faasten.Queue.Nats", "Faasten.Worker")]
    [InlineData("Faasten.Fs.Postgres", "Faasten.Protocol")]
    public void Project_DoesNotDependOn(string project, string forbidden)
    {
        var reached = Reachable(project);

        Assert.DoesNotContain(forbidden, reached);
    }

    [Theory]
    [InlineData("Faasten.Gateway", new[] { "Faasten.Fs", "Faasten.Labels", "Faasten.Protocol" })]
    [InlineData("Faasten.Kernel", new[] { "Faasten.Fs", "Faasten.Labels", "Faasten.Protocol" })]
    [InlineData("Faasten.Worker", new[] { "Faasten.Fs", "Faasten.Kernel", "Faasten.Labels", "Faasten.Protocol", "Faasten.Sandbox" })]
    [InlineData("Faasten.Fs.S3", new[] { "Faasten.Fs", "Faasten.Labels" })]
    [InlineData("Faasten.Queue.Nats", new[] { "Faasten.Labels", "Faasten.Protocol" })]
    public void Project_DependsOnExactly(string project, string[] expected)
    {
        Assert.Equal(expected, Reachable(project).Order());
    }

    [Fact]
    public void OnlyTheHostingLibraryAndTheHostSeeBothTheGatewayAndTheWorker()
    {
        var both = Graph.Value.Keys.Where(p => Reachable(p).Contains("Faasten.Gateway") && Reachable(p).Contains("Faasten.Worker")).Order();

        Assert.Equal(["Faasten.Host", "Faasten.Hosting"], both);
    }

    private static HashSet<string> Reachable(string project)
    {
        Assert.True(Graph.Value.ContainsKey(project), $"no project {project} under src/");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(Graph.Value[project]);
        while (pending.TryPop(out var next))
        {
            if (seen.Add(next))
            {
                foreach (var reference in Graph.Value.GetValueOrDefault(next, []))
                {
                    pending.Push(reference);
                }
            }
        }

        return seen;
    }

    private static Dictionary<string, string[]> ReadGraph()
    {
        return Directory.GetFiles(Path.Combine(Repository.Root, "src"), "*.csproj", SearchOption.AllDirectories).ToDictionary(
            file => Path.GetFileNameWithoutExtension(file),
            file => XDocument.Load(file).Descendants("ProjectReference")
                .Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value.Replace('\\', '/')))
                .ToArray());
    }
}
