using System.Text;
using Microsoft.Extensions.Logging;

namespace Faasten.Hosting.Tests;

public sealed class TextConsoleLoggerProviderTests
{
    [Fact]
    public void Events_AreWrittenOneLineEach_InTheSimpleConsoleFormat()
    {
        var output = new CountingStream();
        using (var provider = new TextConsoleLoggerProvider(output))
        {
            var logger = provider.CreateLogger("Faasten.Test");
            logger.LogInformation(new EventId(5003), "Invocation {Id} finished", "abc");
            logger.LogWarning(new EventId(7), "two\nlines from a name");
            logger.LogDebug("ünïcode ✓");
        }

        Assert.Equal(
            "info: Faasten.Test[5003] Invocation abc finished\nwarn: Faasten.Test[7] two lines from a name\ndbug: Faasten.Test[0] ünïcode ✓\n",
            output.Text);
    }

    [Fact]
    public void ManyEvents_AreWrittenInFewWrites()
    {
        var output = new CountingStream();
        using (var provider = new TextConsoleLoggerProvider(output))
        {
            var logger = provider.CreateLogger("Faasten.Test");
            for (var i = 0; i < 1_000; i++)
            {
                logger.LogInformation("event {I}", i);
            }
        }

        Assert.Equal(1_000, output.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.InRange(output.Flushes, 1, 100); // one write per event was the cost this removes
    }

    [Fact]
    public void AnError_IsWrittenAtOnce_WithItsExceptionOnTheSameLine()
    {
        var output = new CountingStream();
        using var provider = new TextConsoleLoggerProvider(output);

        provider.CreateLogger("Faasten.Test").LogError(new EventId(9), new InvalidOperationException("boom\nsecond"), "failed");

        Assert.StartsWith("fail: Faasten.Test[9] failed System.InvalidOperationException: boom second", output.Text, StringComparison.Ordinal);
        Assert.Single(output.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Attack_AStalledConsole_DropsEventsPastTheBound_AndSaysHowMany()
    {
        var output = new CountingStream { Stalled = new ManualResetEventSlim(false) };
        var provider = new TextConsoleLoggerProvider(output);
        var logger = provider.CreateLogger("Faasten.Test");
        var line = new string('x', 1_000);
        var events = 4 * TextConsoleLoggerProvider.MaxPendingChars / line.Length;
        for (var i = 0; i < events; i++)
        {
            logger.LogInformation("{Line}", line); // never blocks, however stuck the output is
        }

        Assert.True(output.WriteEntered.Wait(TimeSpan.FromSeconds(10))); // the flusher is stuck in a write
        await Task.Run(() => logger.LogError("while stalled")).WaitAsync(TimeSpan.FromSeconds(10)); // an error does not wait for it
        output.Stalled.Set();
        provider.Dispose();

        var lines = output.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // Double-buffered: at most the batch stuck in the write and one full pending buffer get out
        // (each one line past the bound), plus the error and the drop notice; half the events never do.
        var perBuffer = (TextConsoleLoggerProvider.MaxPendingChars / line.Length) + 1;
        Assert.InRange(lines.Length, 2, (2 * perBuffer) + 2);
        Assert.Contains(lines, l => l.Contains(" log events dropped: the console did not keep up", StringComparison.Ordinal));
    }

    private sealed class CountingStream : MemoryStream
    {
        public ManualResetEventSlim? Stalled { get; init; }

        public int Flushes { get; private set; }

        public string Text => Encoding.UTF8.GetString(ToArray());

        public ManualResetEventSlim WriteEntered { get; } = new(false);

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            WriteEntered.Set();
            Stalled?.Wait();
            base.Write(buffer);
        }

        public override void Flush() => Flushes++;
    }
}
