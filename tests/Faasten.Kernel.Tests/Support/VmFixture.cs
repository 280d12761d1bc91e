using System.Text;
using System.Text.Json;
using Faasten.Protocol;
using Faasten.Protocol.Invocations;
using Faasten.Sandbox.Bubblewrap;
using Faasten.Sandbox.Vm;
using Faasten.Tests.Common;

namespace Faasten.Kernel.Tests.Support;

/// <summary>One real bubblewrap backend per test class, to run Python workloads against the real kernel.</summary>
public sealed class VmFixture : IAsyncLifetime
{
    private BubblewrapBackend _backend = null!;

    public Task InitializeAsync()
    {
        // Generous: test classes run in parallel on two cores.
        _backend = new BubblewrapBackend(new BubblewrapOptions { StartTimeout = TimeSpan.FromSeconds(60), MaxProcesses = 32 });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _backend.DisposeAsync();

    /// <summary>
    /// Starts a VM for <paramref name="workload"/>, runs one invocation with its CloudCalls
    /// served by <paramref name="kernel"/>, destroys the VM, and returns the JSON result
    /// (failing the test unless the function returned).
    /// </summary>
    internal async Task<JsonElement> RunOkAsync(string workload, string payloadJson, ICloudCallHandler kernel)
    {
        using var function = new TempDirectory("faasten-kernel-fn");
        await File.WriteAllTextAsync(function.Combine("workload.py"), workload);
        await using var vm = await _backend.StartAsync(new VmSpec(function.Path, 128));
        var outcome = await vm.InvokeAsync(new VmInvocation(Encoding.UTF8.GetBytes(payloadJson), TimeSpan.FromSeconds(30)), kernel);
        Assert.True(outcome.Status == InvocationStatus.Ok, $"Expected Ok, got {outcome.Status}: {outcome.Message} {Encoding.UTF8.GetString(outcome.Body.Span)}");
        return JsonDocument.Parse(outcome.Body).RootElement.Clone();
    }
}
