using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Faasten.Hosting.Tests;

public sealed class TextConsoleLoggerProviderTests
{
    [Fact]
    public void Events_AreWrittenOneLineEach_InTheSimpleConsoleFormat()
    {
        var output = new CountingStream();
        using (var provider = new TextConsoleLoggerProvider(output.Writer))
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
        using (var provider = new TextConsoleLoggerProvider(output.Writer))
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
        using var provider = new TextConsoleLoggerProvider(output.Writer);

        provider.CreateLogger("Faasten.Test").LogError(new EventId(9), new InvalidOperationException("boom\nsecond"), "failed");

        Assert.StartsWith("fail: Faasten.Test[9] failed System.InvalidOperationException: boom second", output.Text, StringComparison.Ordinal);
        Assert.Single(output.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Attack_AStalledConsole_DropsEventsPastTheBound_AndSaysHowMany()
    {
        var output = new CountingStream { Stalled = new ManualResetEventSlim(false) };
        var provider = new TextConsoleLoggerProvider(output.Writer);
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

    [Fact]
    public async Task ALineTheHostPrints_WhileABatchIsWritten_LandsBetweenBatches_NeverInsideALine()
    {
        // The "listening on" line that scripts wait for once landed inside a log line written in
        // pieces, and the test stack matching it at a line's start said the gateway never came up.
        const string Ready = "faasten gateway listening on http://127.0.0.1:1; Ctrl-C to stop";
        var console = new ConsoleLikeWriter();
        using var provider = new TextConsoleLoggerProvider(console);
        var logger = provider.CreateLogger("Faasten.Test");
        Task? host = null;
        console.DuringFirstWrite = () =>
        {
            // The host prints from another thread while the batch is half written. Given the
            // time, it gets in between two pieces unless the batch holds the console's lock.
            host = Task.Run(() => console.WriteLine(Ready));
            host.Wait(TimeSpan.FromMilliseconds(200));
        };
        for (var i = 0; i < 10; i++)
        {
            logger.LogInformation("{Line}", new string('x', 700)); // a first batch is many pieces
        }

        provider.Flush();
        await host!.WaitAsync(TimeSpan.FromSeconds(10));

        var lines = console.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(11, lines.Length);
        Assert.Single(lines, l => l == Ready);
        Assert.All(lines, l => Assert.True(l == Ready || l == "info: Faasten.Test[0] " + new string('x', 700), l));
    }

    /// <summary>Locks on itself for each write, as <see cref="Console.Out"/> does.</summary>
    private sealed class ConsoleLikeWriter : TextWriter
    {
        private readonly StringBuilder _text = new();

        public Action? DuringFirstWrite { get; set; }

        public override Encoding Encoding => Encoding.UTF8;

        public string Text
        {
            [MethodImpl(MethodImplOptions.Synchronized)]
            get => _text.ToString();
        }

        [MethodImpl(MethodImplOptions.Synchronized)]
        public override void Write(char value) => _text.Append(value);

        [MethodImpl(MethodImplOptions.Synchronized)]
        public override void Write(ReadOnlySpan<char> buffer)
        {
            _text.Append(buffer);
            var first = DuringFirstWrite;
            DuringFirstWrite = null;
            first?.Invoke();
        }

        [MethodImpl(MethodImplOptions.Synchronized)]
        public override void WriteLine(string? value) => _text.Append(value).Append('\n');
    }

    private sealed class CountingStream : MemoryStream
    {
        public CountingStream() => Writer = TextWriter.Synchronized(new StreamWriter(this, new UTF8Encoding(false)) { AutoFlush = true });

        /// <summary>Like <see cref="Console.Out"/>: synchronized, flushed at each write.</summary>
        public TextWriter Writer { get; }

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
