using Faasten.Labels;
using Microsoft.Playwright;

namespace Faasten.FunctionalTests.Console;

/// <summary>
/// The console computes labels in the browser (console/labels.js) for display and for its
/// calculator. These tests hold it to Faasten.Labels: the same canonical text, flows, joins,
/// meets and failing sides (FlowExplanation) for a corpus of labels, and an explanation that names the clause that fails.
/// </summary>
public sealed class LabelCalculatorTests(ConsoleStack stack) : IClassFixture<ConsoleStack>
{
    private static readonly string[] Corpus =
    [
        "T,T", "F,T", "T,F", "F,F", "alice,alice", "alice/pma,alice", "alice,alice/pma", "alice|bob,alice", "bob|alice , T",
        "alice&bob,T", "T,alice&bob", "alice|alice/pma,T", "alice&alice|bob,alice|bob", "\\T,T", "sp\\ ace,T", "a\\,b|c,T",
        "alice/pma/x|carol,bob/y", "carol&alice|bob,alice/pma|bob",
    ];

    private static readonly string[] Privileges = ["T", "alice", "bob|alice", "F"];

    [Fact]
    public async Task BrowserLabels_AgreeWithFaastenLabels()
    {
        await using var console = await stack.OpenAsync();
        var cases = new List<object>();
        var expected = new List<string>();
        foreach (var a in Corpus)
        {
            foreach (var b in Corpus)
            {
                var la = Label.Parse(a);
                var lb = Label.Parse(b);
                foreach (var p in Privileges)
                {
                    var privilege = Component.Parse(p);
                    cases.Add(new { a, b, p });
                    // Which sides fail, as Faasten.Labels' FlowExplanation (faasten label flows --explain) says.
                    var sides = string.Join(";", FlowExplanation.Explain(la, lb, privilege).Select(r => r[..r.IndexOf(':', StringComparison.Ordinal)]));
                    expected.Add($"{la}|{lb}|{la.CanFlowTo(lb, privilege)}|{la.Lub(lb)}|{la.Glb(lb)}|{sides}");
                }
            }
        }

        var actual = await console.Page.EvaluateAsync<string[]>("""
            async (cases) => {
              const L = await import('/console/labels.js');
              return cases.map(({ a, b, p }) => {
                const la = L.parseLabel(a), lb = L.parseLabel(b), priv = L.parseComponent(p);
                const explained = L.explainFlow(la, lb, priv);
                const sides = [...new Set(explained.failures.map((f) => f.part))].join(';');
                return [L.printLabel(la), L.printLabel(lb), explained.flows ? 'True' : 'False', L.printLabel(L.lub(la, lb)), L.printLabel(L.glb(la, lb)), sides].join('|');
              });
            }
            """, cases);
        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData("alice,", 6)]
    [InlineData("alice", 5)]
    [InlineData("alice,bob|", 10)]
    [InlineData("alice bob,T", 6)]
    [InlineData("alice,T\\", 8)]
    public async Task BrowserParser_RefusesWhatTheServerRefuses_AtTheSameOffset(string text, int offset)
    {
        Assert.False(Label.TryParse(text, out _, out var error));
        await using var console = await stack.OpenAsync();
        var browser = await console.Page.EvaluateAsync<int>("async (t) => { const L = await import('/console/labels.js'); try { L.parseLabel(t); return -1; } catch (e) { return e.offset; } }", text);
        Assert.Equal(error.Offset, browser);
        Assert.Equal(offset, browser);
    }

    [Fact]
    public async Task Calculator_ExplainsWhichClauseFails()
    {
        await using var console = await stack.OpenAsync();
        await console.GoAsync("#/labels");
        await console.Locator("#calc-a").FillAsync("alice&bob,alice");
        await console.Locator("#calc-b").FillAsync("bob,alice&carol");
        await Assertions.Expect(console.Locator("#calc-flow h2")).ToHaveTextAsync("A does not flow to B");
        // Secrecy: B's readers need only be bob, so the clause alice is the one lost; integrity: carol never vouched.
        await Assertions.Expect(console.Locator("#calc-failures li")).ToHaveCountAsync(2);
        await Assertions.Expect(console.Locator("#calc-failures li[data-part=secrecy]")).ToContainTextAsync("read only by alice");
        await Assertions.Expect(console.Locator("#calc-failures li[data-part=integrity]")).ToContainTextAsync("word of carol");
        await Assertions.Expect(console.Locator("#calc-lub .label-result")).ToHaveTextAsync(Label.Parse("alice&bob,alice").Lub(Label.Parse("bob,alice&carol")).ToString());
        await Assertions.Expect(console.Locator("#calc-glb .label-result")).ToHaveTextAsync(Label.Parse("alice&bob,alice").Glb(Label.Parse("bob,alice&carol")).ToString());

        await console.ScreenshotAsync("labels", stack.Scratch("screenshots"));

        // With privilege alice&carol the flow holds.
        await console.Locator("#calc-privilege").FillAsync("alice&carol");
        await Assertions.Expect(console.Locator("#calc-flow h2")).ToHaveTextAsync("A flows to B");

        await console.Locator("#calc-b").FillAsync("bob,");
        await Assertions.Expect(console.Locator("#calc-output .error")).ToContainTextAsync("offset 4");
        await console.AssertNothingRanAsync();
    }
}
