using Faasten.Protocol.Invocations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Faasten.Gateway;

/// <summary>
/// The gateway as a web host: Kestrel on one endpoint and the gateway's pipeline over the
/// backends the composition root built. The embedded server and a cluster gateway both start it;
/// neither attaches anything afterwards.
/// </summary>
public static class GatewayWebHost
{
    /// <summary>
    /// The host builder's argument that turns off watching its configuration files, for every web
    /// host the process builds (Faasten reads its configuration once, at start).
    /// </summary>
    public const string NoConfigReload = "--hostBuilder:reloadConfigOnChange=false";

    /// <param name="logs">Shared with the rest of the process, so one configuration governs every log line; the caller disposes it.</param>
    public static WebApplication Build(GatewayBackends backends, GatewayEndpoint endpoint, GatewayOptions options, ILoggerFactory logs, TimeProvider time, string contentRoot)
    {
        ArgumentNullException.ThrowIfNull(backends);
        ArgumentNullException.ThrowIfNull(endpoint);
        // The host's own appsettings files would be watched for changes in the content root, which
        // for `faasten serve` is the data directory: every store write woke a watcher thread (1.7%
        // of the machine at 6k invocations/s). Faasten's configuration is read once, elsewhere.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = contentRoot, Args = [NoConfigReload] });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(logs);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // The backstop for buffered routes; each route enforces its own smaller limit, and blob upload lifts it.
            kestrel.Limits.MaxRequestBodySize = options.LargestBody;
            kestrel.Listen(endpoint.Address, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                if (endpoint.Certificate is { } certificate)
                {
                    listen.UseHttps(certificate);
                }
            });
        });
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = endpoint.ShutdownTimeout);
        builder.Services.AddSingleton(time);
        builder.Services.AddSingleton(backends.Metadata);
        builder.Services.AddSingleton(backends.FileSystem);
        builder.Services.AddSingleton(backends.SigningKey);
        builder.Services.AddSingleton<IInvoker>(backends.Invoker);
        builder.Services.AddSingleton<IInvocationResults>(backends.Results);
        builder.Services.AddSingleton(backends);
        builder.Services.AddFaastenGateway(options);

        var app = builder.Build();
        app.UseFaastenGateway();
        return app;
    }
}
