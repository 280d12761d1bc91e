using BenchmarkDotNet.Attributes;
using Faasten.Labels;

namespace Faasten.Benchmarks.Labels;

/// <summary>The label operations on the CloudCall path. Budget: CanFlowTo on small labels
/// under 100 ns and 0 bytes allocated (docs/benchmarks.md).</summary>
[MemoryDiagnoser]
public class LabelBenchmarks
{
    private LabelFixtures _fixtures = null!;

    [Params(LabelSize.Small, LabelSize.Large)]
    public LabelSize Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _fixtures = LabelFixtures.Create(Size);
        if (!_fixtures.From.CanFlowTo(_fixtures.To)
            || !_fixtures.From.CanFlowTo(_fixtures.PrivilegedTo, _fixtures.Privilege)
            || _fixtures.From.CanFlowTo(_fixtures.PrivilegedTo))
        {
            throw new InvalidOperationException("Benchmark fixtures do not have the intended flows.");
        }
    }

    [Benchmark]
    public Label Parse() => Label.Parse(_fixtures.Text);

    [Benchmark]
    public Label Lub() => _fixtures.From.Lub(_fixtures.Other);

    [Benchmark]
    public bool CanFlowTo() => _fixtures.From.CanFlowTo(_fixtures.To);

    [Benchmark]
    public bool CanFlowToWithPrivilege() => _fixtures.From.CanFlowTo(_fixtures.PrivilegedTo, _fixtures.Privilege);
}
