using Faasten.Labels;

namespace Faasten.Fs.Records;

/// <summary>
/// One step that raised an invocation's label: what it was (<c>payload label</c>,
/// <c>gate PATH</c>, <c>read PATH</c>, <c>reply from PATH</c>, <c>taint</c>, ...) and the label
/// right after it.
/// </summary>
public sealed record TrailStep(string What, Label Label);
