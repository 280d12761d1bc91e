using Faasten.Sandbox.Tests.Support;

namespace Faasten.Sandbox.Tests.Bubblewrap;

/// <summary>Every <see cref="BubblewrapVmTests"/> test, on VMs forked from a template.</summary>
public sealed class ForkedBubblewrapVmTests(ForkedSandboxFixture sandbox) : BubblewrapVmTests(sandbox), IClassFixture<ForkedSandboxFixture>;
