using Faasten.Gateway.Tests.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Faasten.Gateway.Tests.Hosting;

public sealed class GatewayWebHostTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    /// <summary>
    /// The web host watches no configuration file: its content root is the data directory, where
    /// every store write would otherwise wake a file watcher, and configuration is read once.
    /// </summary>
    [Fact]
    public void TheWebHost_WatchesNoConfigurationFile()
    {
        var configuration = (IConfigurationRoot)fixture.Harness.Server.Services.GetRequiredService<IConfiguration>();

        var files = configuration.Providers.OfType<FileConfigurationProvider>().ToList();

        Assert.NotEmpty(files); // the builder's appsettings sources are there, so the check below means something
        Assert.All(files, file => Assert.False(file.Source.ReloadOnChange, $"{file.Source.Path} is watched"));
    }
}
