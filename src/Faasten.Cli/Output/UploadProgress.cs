using Spectre.Console;

namespace Faasten.Cli.Output;

/// <summary>A progress bar on stderr for long uploads; drawn only when stderr is a terminal.</summary>
internal static class UploadProgress
{
    /// <summary>Smaller uploads finish before a bar would be worth drawing.</summary>
    public const long Threshold = 4L * 1024 * 1024;

    public static async Task<T> RunAsync<T>(CliConsole console, string description, long? length, Func<Action<long>?, Task<T>> upload)
    {
        if (!console.IsErrorTerminal || length is not >= Threshold)
        {
            return await upload(null);
        }

        var terminal = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(console.Error),
            Interactive = InteractionSupport.Yes,
        });
        return await terminal.Progress()
            .AutoClear(true)
            .HideCompleted(true)
            .Columns(
                new TaskDescriptionColumn(),
                new ProgressBarColumn(),
                new PercentageColumn(),
                new DownloadedColumn(),
                new TransferSpeedColumn(),
                new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(Markup.Escape(description), maxValue: length.Value);
                var result = await upload(sent => task.Value = sent);
                task.StopTask();
                return result;
            });
    }
}
