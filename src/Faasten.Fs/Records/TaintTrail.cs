using Faasten.Labels;

namespace Faasten.Fs.Records;

/// <summary>
/// Where an invocation's label came from (DESIGN §9): the steps that raised it, in order. The
/// caller names the operation under way with <see cref="Begin"/> (two references, no
/// allocation); only a taint that actually raises the label costs a step.
/// </summary>
/// <remarks>Not thread-safe, like the <see cref="SecurityContext"/> it belongs to.</remarks>
public sealed class TaintTrail
{
    /// <summary>Steps kept at most; a label can rise and fall (declassify) without end.</summary>
    public const int MaxSteps = 256;

    private readonly List<TrailStep> _steps = [];
    private string _what = "taint";
    private string? _subject;

    public IReadOnlyList<TrailStep> Steps => _steps;

    /// <summary>True when steps past <see cref="MaxSteps"/> were dropped.</summary>
    public bool Truncated { get; private set; }

    /// <summary>Names what the following taints come from: <paramref name="what"/>, then <paramref name="subject"/> (a path) when given.</summary>
    public void Begin(string what, string? subject = null)
    {
        _what = what;
        _subject = subject;
    }

    /// <summary>Records that the current operation raised the label to <paramref name="label"/>.</summary>
    public void Raised(Label label)
    {
        if (_steps.Count >= MaxSteps)
        {
            Truncated = true;
            return;
        }

        _steps.Add(new TrailStep(_subject is null ? _what : _what + " " + _subject, label));
    }
}
