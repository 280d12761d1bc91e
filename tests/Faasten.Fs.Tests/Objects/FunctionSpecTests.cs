using System.Collections.Immutable;
using Faasten.Fs.Objects;
using Faasten.Labels;

namespace Faasten.Fs.Tests.Objects;

public sealed class FunctionSpecTests
{
    private const string Hash = "6105d6cc76af400325e94d588ce511be5bfdbb73b437dc51eca43917d7a43e3d";

    [Theory]
    [InlineData("node20", 128, 30_000, "unknown runtime in 'runtime': 'node20'; known runtimes: python3")]
    [InlineData("python3", 15, 30_000, "'memory' must be 16–16384 MB, got 15")]
    [InlineData("python3", 16_385, 30_000, "'memory' must be 16–16384 MB, got 16385")]
    [InlineData("python3", 128, 0, "'timeout' must be 1–900000 ms (15 min), got 0")]
    public void Validate_NamesTheField(string runtime, int memory, int timeout, string message) =>
        Assert.Equal(message, new FunctionSpec(Hash, runtime, memory, timeout).Validate());

    [Fact]
    public void Validate_Env_BoundsNamesValuesAndSize()
    {
        static string? Check(params (string, string)[] env) =>
            new FunctionSpec(Hash) { Env = env.ToImmutableSortedDictionary(e => e.Item1, e => e.Item2, StringComparer.Ordinal) }.Validate();

        Assert.Null(Check(("MODE", "prod"), ("_X1", "")));
        Assert.StartsWith("bad name in 'env': '1A'", Check(("1A", "x")), StringComparison.Ordinal);
        Assert.StartsWith("bad name in 'env': 'A-B'", Check(("A-B", "x")), StringComparison.Ordinal);
        Assert.StartsWith("bad name in 'env': ''", Check(("", "x")), StringComparison.Ordinal);
        Assert.StartsWith("bad value in 'env' for 'A'", Check(("A", "x\0y")), StringComparison.Ordinal);
        Assert.StartsWith("bad value in 'env' for 'A'", Check(("A", new string('é', 2049))), StringComparison.Ordinal);
        Assert.Equal("'env' holds 65 variables; at most 64 are allowed", Check([.. Enumerable.Range(0, 65).Select(i => ($"V{i}", "x"))]));
        Assert.StartsWith("'env' holds ", Check([.. Enumerable.Range(0, 10).Select(i => ($"V{i}", new string('x', 4000)))]), StringComparison.Ordinal);
    }

    [Fact]
    public void Equality_ComparesEnvironmentsByContent()
    {
        var a = new FunctionSpec(Hash) { Env = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("A", "1")]) };
        var b = new FunctionSpec(Hash) { Env = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("A", "1")]) };
        Assert.Equal(a, b);
        Assert.NotEqual(a, b with { Env = ImmutableSortedDictionary<string, string>.Empty });
    }

    [Fact]
    public void Codec_KeepsGateEnvironmentAndSchedules()
    {
        var label = Label.Parse("T,alice");
        var gate = new Gate(label, Component.Parse("alice"), Component.True, Component.Parse("alice"),
            new FunctionSpec(Hash) { Env = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("MODE", "a=b")]) });
        Assert.Equal(gate, ObjectCodec.Decode(ObjectCodec.Encode(gate, 1)));

        var schedule = new Schedule(label, "0 3 * * *", "~:g", Component.Parse("alice"), Label.Parse("alice,T"), "{\"x\":1}"u8.ToArray());
        var decoded = Assert.IsType<Schedule>(ObjectCodec.Decode(ObjectCodec.Encode(schedule, 1)));
        Assert.Equal((schedule.Cron, schedule.GatePath, schedule.Privilege, schedule.PayloadLabel, schedule.Label), (decoded.Cron, decoded.GatePath, decoded.Privilege, decoded.PayloadLabel, decoded.Label));
        Assert.Equal(schedule.Payload, decoded.Payload);
    }
}
