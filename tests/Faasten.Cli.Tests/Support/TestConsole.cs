using System.Text;
using Faasten.Cli;

namespace Faasten.Cli.Tests.Support;

/// <summary>A captured terminal: stdout text and bytes share one buffer, like a real stdout.</summary>
internal sealed class TestConsole
{
    private readonly MemoryStream _stdout = new();
    private readonly StreamWriter _out;

    public TestConsole(string stdin = "", bool inputRedirected = true)
        : this(Encoding.UTF8.GetBytes(stdin), inputRedirected)
    {
    }

    public TestConsole(byte[] stdin, bool inputRedirected = true)
    {
        _out = new StreamWriter(_stdout, new UTF8Encoding(false), leaveOpen: true) { AutoFlush = true };
        Console = new CliConsole
        {
            Out = _out,
            Error = ErrorWriter,
            StandardOutput = _stdout,
            StandardInput = new MemoryStream(stdin),
            IsInputRedirected = inputRedirected,
            ReadSecret = prompt =>
            {
                Prompts.Add(prompt);
                return Secret;
            },
            ReadLine = prompt =>
            {
                Prompts.Add(prompt);
                return Line;
            },
        };
    }

    public CliConsole Console { get; }

    public StringWriter ErrorWriter { get; } = new();

    public List<string> Prompts { get; } = [];

    public string? Secret { get; set; }

    public string? Line { get; set; }

    public byte[] OutBytes => _stdout.ToArray();

    public string Out => Encoding.UTF8.GetString(_stdout.ToArray());

    public string Error => ErrorWriter.ToString();
}
