using static Faasten.Fs.Tests.Monitor.FsHarness;

namespace Faasten.Fs.Tests.Monitor;

public sealed class ConcurrencyTests : IAsyncLifetime
{
    private FsHarness _h = null!;

    public async Task InitializeAsync()
    {
        _h = await FsHarness.CreateAsync();
        Assert.True((await _h.Fs.CreateDirectoryAsync(As("alice"), "~:shared", L("alice,alice"))).IsOk);
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task ManyConcurrentLinksIntoOneDirectory_LoseNoEntry()
    {
        const int writers = 8, each = 25;
        var tasks = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < each; i++)
            {
                var r = await _h.Fs.CreateFileAsync(As("alice"), $"~:shared:w{w}-{i}", L("alice,alice"));
                Assert.True(r.IsOk, r.ToString());
            }
        }));
        await Task.WhenAll(tasks);

        var list = await _h.Fs.ListAsync(As("alice"), "~:shared");
        Assert.Equal(writers * each, list.Value!.Count);
    }

    [Fact]
    public async Task ConcurrentCreatesOfOneName_ExactlyOneWins()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
            Task.Run(async () => await _h.Fs.CreateFileAsync(As("alice"), "~:shared:x", L("alice,alice"), new[] { (byte)i }))));

        Assert.Single(results, r => r.IsOk);
        Assert.All(results.Where(r => !r.IsOk), r => Assert.Equal(FsStatus.Exists, r.Status));
    }

    [Fact]
    public async Task ConcurrentWritesToAFile_LeaveOneCompleteValue()
    {
        Assert.True((await _h.Fs.CreateFileAsync(As("alice"), "~:shared:f", L("alice,alice"))).IsOk);
        var values = Enumerable.Range(0, 16).Select(i => Enumerable.Repeat((byte)i, 64 * 1024).ToArray()).ToArray();

        await Task.WhenAll(values.Select(v => Task.Run(async () => await _h.Fs.WriteFileAsync(As("alice"), "~:shared:f", v))));

        var final = (await _h.Fs.ReadFileAsync(As("alice"), "~:shared:f")).Value!;
        Assert.Equal(64 * 1024, final.Length);
        Assert.Contains(values, v => v.AsSpan().SequenceEqual(final));
    }
}
