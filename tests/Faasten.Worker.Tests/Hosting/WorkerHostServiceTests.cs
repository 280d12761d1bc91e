using System.Collections.Immutable;
using System.Text.Json;
using Faasten.Fs;
using Faasten.Protocol.Invocations;
using Faasten.Protocol.Labels;
using Faasten.Protocol.V1;
using Faasten.Tests.Common.Http;
using Faasten.Worker.Tests.Support;
using static Faasten.Worker.Tests.Support.FsHarness;

namespace Faasten.Worker.Tests.Hosting;

/// <summary>A function calling a service reaches a real HTTP server on loopback and is tainted by it.</summary>
public sealed class WorkerHostServiceTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    [Fact]
    public async Task FunctionCallingAService_HitsTheServer_AndItsReplyCarriesTheServiceTaint()
    {
        using var server = new LoopbackHttpServer { Body = "weather: sunny"u8.ToArray() };
        await using var w = await SandboxWorker.CreateAsync(sandbox.Backend);
        var headers = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("Authorization", "Bearer s3cret")]);
        await Ok(w.Fs.Fs.CreateServiceAsync(Super(), "weather", new ServiceSpec($"{server.BaseUrl}/cities/{{city}}", "GET", headers, L("weather,T"), C("T"), C("T")), L("T,T")));
        await w.CreateGateAsync("app", """
            def handle(event, cloudcall):
                response = cloudcall.invoke_service("weather", params={"city": event["city"]})
                return {"status": response.status, "body": response.body.decode()}
            """);

        var reply = await w.InvokeAsync("app", payload: """{"city": "oslo"}""");

        Assert.Equal(InvocationStatus.Ok, reply.Status);
        var result = JsonDocument.Parse(reply.Body).RootElement;
        Assert.Equal(200, result.GetProperty("status").GetInt32());
        Assert.Equal("weather: sunny", result.GetProperty("body").GetString());
        var request = Assert.Single(server.Requests);
        Assert.Equal("/cities/oslo", request.Url);
        Assert.Equal("Bearer s3cret", request.Headers["Authorization"]);
        Assert.Equal(L("weather,T"), reply.Label);
        Assert.False(SecurityContext.CanRelease(reply.Label, L("T,T"), C("bob")));
    }
}
