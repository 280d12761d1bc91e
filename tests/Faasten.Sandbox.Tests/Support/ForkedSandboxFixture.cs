namespace Faasten.Sandbox.Tests.Support;

/// <summary>A real bubblewrap backend whose VMs are forked from templates (the default outside tests).</summary>
public sealed class ForkedSandboxFixture : SandboxFixture
{
    public override bool Templates => true;
}
