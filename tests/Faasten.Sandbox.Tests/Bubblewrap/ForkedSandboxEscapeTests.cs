using Faasten.Sandbox.Tests.Support;

namespace Faasten.Sandbox.Tests.Bubblewrap;

/// <summary>Every <see cref="SandboxEscapeTests"/> test, on VMs forked from a template.</summary>
public sealed class ForkedSandboxEscapeTests(ForkedSandboxFixture sandbox) : SandboxEscapeTests(sandbox), IClassFixture<ForkedSandboxFixture>;
