using System.Runtime.Versioning;
using Faasten.Tests.Common;

namespace Faasten.Hosting.Tests;

public sealed class DataDirectoryTests
{
    [Fact]
    [SupportedOSPlatform("linux")]
    public void Create_MakesTheDirectoryReadableByItsOwnerOnly()
    {
        // It holds every label's data, password hashes and the signing key: no other local user
        // may read it around the monitor.
        using var parent = new TempDirectory("faasten-datadir");

        var data = DataDirectory.Create(parent.Combine("data"));

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(data.Root));
    }
}
