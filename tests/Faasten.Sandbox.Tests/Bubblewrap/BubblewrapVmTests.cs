using System.Text;
using Faasten.Sandbox.Tests.Support;
using Faasten.Sandbox.Vm;

namespace Faasten.Sandbox.Tests.Bubblewrap;

public sealed class BubblewrapVmTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    [Fact]
    public async Task InvokeAsync_EchoFunction_ReturnsItsJsonResult()
    {
        var outcome = await sandbox.RunOnceAsync(
            """
            def handle(event, cloudcall):
                return {"echo": event, "n": len(event["items"])}
            """,
            """{"items": [1, 2, 3], "name": "ünï"}""");

        var result = OutcomeAssert.Ok(outcome);
        Assert.Equal(3, result.GetProperty("n").GetInt32());
        Assert.Equal("ünï", result.GetProperty("echo").GetProperty("name").GetString());
    }
}
