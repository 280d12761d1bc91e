using Faasten.Fs.Objects;
using Faasten.Labels;

namespace Faasten.Fs;

/// <summary>
/// A gate after following redirects: privileges, clearances and declassify components of
/// every gate on the chain conjoined, and the function of the final direct gate.
/// </summary>
public sealed record ResolvedGate(Component Privilege, Component Clearance, Component Declassify, FunctionSpec Function);
