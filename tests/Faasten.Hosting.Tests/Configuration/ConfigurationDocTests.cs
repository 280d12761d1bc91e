using Faasten.Hosting.Configuration;
using Faasten.Hosting.Tests.Support;

namespace Faasten.Hosting.Tests.Configuration;

/// <summary>docs/configuration.md lists every key, its environment variable and its default, so the document cannot fall behind the code.</summary>
public sealed class ConfigurationDocTests
{
    // Defaults that depend on the machine or the working directory; the document states them in words.
    private static readonly HashSet<string> MachineDependent = ["data", "worker.slots", "worker.imageCache", "worker.name"];

    [Fact]
    public void EveryKey_HasARow_WithItsEnvironmentVariableAndDefault()
    {
        var rows = File.ReadAllLines(Path.Combine(Repository.Root, "docs", "configuration.md")).Where(l => l.StartsWith("| `", StringComparison.Ordinal)).ToList();

        foreach (var (key, defaultValue, _, environmentVariable) in FaastenConfiguration.Keys())
        {
            var row = rows.SingleOrDefault(r => r.StartsWith($"| `{key}` |", StringComparison.Ordinal));
            Assert.True(row is not null, $"docs/configuration.md has no row for {key}");
            Assert.Contains($"`{environmentVariable}`", row, StringComparison.Ordinal);
            if (!MachineDependent.Contains(key))
            {
                Assert.Contains(defaultValue.Length == 0 ? "(unset)" : $"`{defaultValue}`", row, StringComparison.Ordinal);
            }
        }

        Assert.Equal(FaastenConfiguration.Keys().Count(), rows.Count);
    }
}
