using System.Runtime.Versioning;

// Sandboxes are bubblewrap on Linux; so are these tests.
[assembly: SupportedOSPlatform("linux")]
