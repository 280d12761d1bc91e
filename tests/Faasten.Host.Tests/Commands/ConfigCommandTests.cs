using Faasten.Host.Tests.Support;
using Faasten.Tests.Common;

namespace Faasten.Host.Tests.Commands;

/// <summary><c>faasten config check</c>, <c>serve</c>, <c>gateway</c> and <c>worker</c> on their configuration, through the executable.</summary>
public sealed class ConfigCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new("faasten-config-cli");

    public void Dispose() => _dir.Dispose();

    private string Yaml(string text)
    {
        var path = _dir.Combine("config.yaml");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public async Task Check_ValidFile_PrintsTheEffectiveConfiguration_WithSecretsMasked()
    {
        var file = Yaml("worker: {slots: 6}\nmetadata: {postgres: \"Host=db;Password=hunter2\"}\n");

        var (exit, output, error) = await FaastenProcess.RunAsync(["config", "check", "--config", file], _dir.Path, ("FAASTEN_RESULTS__RETENTION", "2m"));

        Assert.True(exit == 0, error);
        Assert.Contains("worker.slots: 6\n", output, StringComparison.Ordinal);
        Assert.Contains("results.retention: 2m\n", output, StringComparison.Ordinal); // the environment counts too
        Assert.Contains("metadata.postgres: (set; not shown)\n", output, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", output + error, StringComparison.Ordinal);
        Assert.Contains($"data: {_dir.Combine("faasten-data")}\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_BadFile_ListsEveryError_AndExits2()
    {
        var file = Yaml("worker: {slots: none, memoryBudgetMb: 1}\nlisten: nowhere\nbogus: {key: 1}\n");

        var (exit, output, error) = await FaastenProcess.RunAsync(["config", "check", "--config", file], _dir.Path);

        Assert.Equal(2, exit);
        Assert.Empty(output);
        Assert.Contains("worker.slots: 'none' is not a whole number", error, StringComparison.Ordinal);
        Assert.Contains("worker.memoryBudgetMb: MemoryBudgetMb must be at least 16", error, StringComparison.Ordinal);
        Assert.Contains("listen: 'nowhere' is not HOST:PORT", error, StringComparison.Ordinal);
        Assert.Contains("unknown key 'bogus.key'", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_ReadsFaastenYamlFromTheWorkingDirectory()
    {
        await File.WriteAllTextAsync(_dir.Combine("faasten.yaml"), "worker: {slots: 9}\n");

        var (exit, output, error) = await FaastenProcess.RunAsync(["config", "check"], _dir.Path);

        Assert.True(exit == 0, error);
        Assert.Contains("worker.slots: 9\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_InvalidConfiguration_RefusesToStart_ListingTheErrors()
    {
        var file = Yaml("worker: {slotz: 1}\n");

        var (exit, _, error) = await FaastenProcess.RunAsync(["serve", "--config", file, "--data", _dir.Combine("data")], _dir.Path, ("FAASTEN_TOKENS__LIFETIME", "soon"));

        Assert.Equal(2, exit);
        Assert.Contains("unknown key 'worker.slotz'", error, StringComparison.Ordinal);
        Assert.Contains("tokens.lifetime: 'soon' is not a duration", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_dir.Combine("data")), "nothing was started");
    }

    [Theory]
    [InlineData("gateway")]
    [InlineData("worker")]
    public async Task ClusterProcess_WithoutTheSharedEngines_RefusesToStart_NamingTheMissingKeys(string command)
    {
        var (exit, _, error) = await FaastenProcess.RunAsync([command], _dir.Path);

        Assert.Equal(2, exit);
        Assert.Contains("metadata.postgres", error, StringComparison.Ordinal);
        Assert.Contains("queue.nats", error, StringComparison.Ordinal);
        Assert.Contains("faasten serve", error, StringComparison.Ordinal);
    }
}
