using Faasten.Protocol;
using Faasten.Sandbox.Bubblewrap;
using Faasten.Sandbox.Vm;

namespace Faasten.Sandbox.Tests.Support;

/// <summary>
/// One real bubblewrap backend per test class, making every VM fresh (launched); see
/// <see cref="ForkedSandboxFixture"/> for VMs forked from templates.
/// </summary>
public class SandboxFixture : IAsyncLifetime
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    public static BubblewrapOptions Options { get; } = new()
    {
        // Generous: test classes run in parallel on two cores.
        StartTimeout = TimeSpan.FromSeconds(60),
        MaxProcesses = 32,
        TmpSizeBytes = 8L * 1024 * 1024,
        UseTemplates = false,
    };

    /// <summary>Whether this fixture's VMs are forked from templates.</summary>
    public virtual bool Templates => false;

    /// <summary><see cref="Options"/> for a backend of this fixture's kind.</summary>
    public BubblewrapOptions BackendOptions => Options with { UseTemplates = Templates };

    internal BubblewrapBackend Backend { get; private set; } = null!;

    public Task InitializeAsync()
    {
        Backend = new BubblewrapBackend(BackendOptions);
        Assert.Equal(Templates, Backend.UsesTemplates);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Backend.DisposeAsync();

    internal async Task<BubblewrapVm> StartAsync(FunctionDirectory function, int memoryMb = 128)
    {
        var vm = (BubblewrapVm)await Backend.StartAsync(new VmSpec(function.Path, memoryMb));
        Assert.Equal(Templates, vm.Forked);
        return vm;
    }

    /// <summary>Starts a VM for <paramref name="workload"/>, runs one invocation, destroys the VM.</summary>
    internal async Task<InvocationOutcome> RunOnceAsync(
        string workload,
        string payloadJson = "null",
        ICloudCallHandler? handler = null,
        TimeSpan? timeout = null,
        int memoryMb = 128)
    {
        using var function = new FunctionDirectory(workload);
        await using var vm = await StartAsync(function, memoryMb);
        return await vm.InvokeAsync(Invocation(payloadJson, timeout), handler ?? new FakeKernel());
    }

    internal static VmInvocation Invocation(string payloadJson, TimeSpan? timeout = null) =>
        new(System.Text.Encoding.UTF8.GetBytes(payloadJson), timeout ?? DefaultTimeout);
}
