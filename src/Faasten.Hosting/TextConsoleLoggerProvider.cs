using System.Text;
using Microsoft.Extensions.Logging;

namespace Faasten.Hosting;

/// <summary>
/// The text console log: one line per event, <c>info: Category[id] message</c>, as the framework's
/// simple console writes it. Events are appended to a buffer on the logging thread and written
/// by a background task every <see cref="FlushInterval"/> in one write. The framework's console
/// logger hands every event to its own thread and writes it alone, so a server logging one line
/// per invocation paid a thread wake-up and a system call per request.
/// </summary>
/// <remarks>
/// Bounded: past <see cref="MaxPendingChars"/> waiting characters (a stalled stdout) events are
/// dropped and their number is written once the output moves again; logging never blocks or
/// grows without bound. Errors and critical events are written at once.
/// <para>
/// A batch is written holding the writer's own monitor, the lock <see cref="Console.Out"/> takes
/// for each of its writes: a line the host prints to the console (the "listening on" line that
/// scripts and supervisors wait for) then lands between two batches, never inside a log line.
/// </para>
/// </remarks>
internal sealed class TextConsoleLoggerProvider : ILoggerProvider
{
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(20);
    public const int MaxPendingChars = 1 << 20;

    private readonly TextWriter _output;
    private readonly Lock _lock = new();
    private readonly Lock _writeLock = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _flusher;
    private StringBuilder _pending = new();
    private StringBuilder _writing = new();
    private long _dropped;
    private int _disposed;

    /// <param name="output">The console: <see cref="Console.Out"/>, or a writer made by
    /// <see cref="TextWriter.Synchronized"/> that the process's other console lines also go through.</param>
    public TextConsoleLoggerProvider(TextWriter output)
    {
        _output = output;
        _flusher = Task.Run(FlushLoopAsync);
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stop.Cancel();
        try
        {
            _flusher.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }

        Flush();
        _stop.Dispose();
    }

    /// <summary>Writes what waits, in one write.</summary>
    internal void Flush()
    {
        lock (_writeLock)
        {
            FlushLocked(wait: true);
        }
    }

    // An error is written at once unless a write is already under way (then the next tick
    // writes it): logging must not wait on a console that does not move.
    private void FlushSoon()
    {
        if (_writeLock.TryEnter())
        {
            try
            {
                FlushLocked(wait: false);
            }
            finally
            {
                _writeLock.Exit();
            }
        }
    }

    private void FlushLocked(bool wait)
    {
        // Another console writer may be stuck on the same stalled output: an error written at
        // once does not queue behind it, the next tick writes it.
        var console = false;
        if (wait)
        {
            Monitor.Enter(_output, ref console);
        }
        else
        {
            Monitor.TryEnter(_output, ref console);
            if (!console)
            {
                return;
            }
        }

        try
        {
            WriteBatch();
        }
        finally
        {
            if (console)
            {
                Monitor.Exit(_output);
            }
        }
    }

    private void WriteBatch()
    {
        long dropped;
        lock (_lock)
        {
            (_pending, _writing) = (_writing, _pending);
            dropped = _dropped;
            _dropped = 0;
        }

        if (dropped > 0)
        {
            _writing.Append("warn: ").Append(typeof(TextConsoleLoggerProvider).FullName).Append("[0] ")
                .Append(dropped).Append(" log events dropped: the console did not keep up").Append('\n');
        }

        if (_writing.Length == 0)
        {
            return;
        }

        try
        {
            foreach (var chunk in _writing.GetChunks())
            {
                _output.Write(chunk.Span);
            }

            _output.Flush();
        }
        catch (IOException)
        {
            // stdout closed (a pipe whose reader went away): the log has nowhere to go.
        }
        catch (ObjectDisposedException)
        {
        }
        finally
        {
            _writing.Clear();
        }
    }

    private async Task FlushLoopAsync()
    {
        using var timer = new PeriodicTimer(FlushInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                Flush();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Append(LogLevel level, string category, EventId eventId, string message, Exception? exception)
    {
        lock (_lock)
        {
            if (_pending.Length > MaxPendingChars)
            {
                _dropped++;
                return;
            }

            _pending.Append(LevelName(level)).Append(": ").Append(category).Append('[').Append(eventId.Id).Append("] ");
            AppendOneLine(_pending, message);
            if (exception is not null)
            {
                _pending.Append(' ');
                AppendOneLine(_pending, exception.ToString());
            }

            _pending.Append('\n');
        }

        if (level >= LogLevel.Error)
        {
            FlushSoon();
        }
    }

    // One event, one line: a newline inside a message (an exception's stack, a name) must not
    // start what looks like another event.
    private static void AppendOneLine(StringBuilder to, string text)
    {
        if (text.AsSpan().IndexOfAny('\n', '\r') < 0)
        {
            to.Append(text);
            return;
        }

        foreach (var c in text)
        {
            to.Append(c is '\n' or '\r' ? ' ' : c);
        }
    }

    private static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        _ => "crit",
    };

    private sealed class Logger(TextConsoleLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.None)
            {
                return;
            }

            provider.Append(logLevel, category, eventId, formatter(state, exception), exception);
        }
    }
}
