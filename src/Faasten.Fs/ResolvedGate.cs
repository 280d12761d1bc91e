using Faasten.Fs.Objects;
using Faasten.Labels;

namespace Faasten.Fs;

/// <summary>
/// A gate after following redirects: privileges, clearances and declassify components of
/// every gate on the chain conjoined, and the function of the final direct gate.
/// </summary>
/// <param name="Identity">
/// Which gates, at which stored versions, the chain went through. VMs are pooled per identity
/// (DESIGN §4 step 3): two gates never share a VM, even over the same image, and a gate that
/// was updated starts over with new VMs.
/// </param>
public sealed record ResolvedGate(Component Privilege, Component Clearance, Component Declassify, FunctionSpec Function, string Identity);
