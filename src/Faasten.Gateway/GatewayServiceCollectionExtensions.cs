using Faasten.Gateway.Auth;
using Faasten.Gateway.Events;
using Faasten.Gateway.Fs;
using Faasten.Gateway.Http;
using Faasten.Gateway.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Faasten.Gateway;

public static class GatewayServiceCollectionExtensions
{
    /// <summary>
    /// Registers the gateway's services. The composition root provides the backends it runs on
    /// (<see cref="GatewayBackends"/>; <see cref="GatewayWebHost"/> registers them);
    /// <see cref="TimeProvider"/> defaults to the system clock.
    /// </summary>
    public static IServiceCollection AddFaastenGateway(this IServiceCollection services, GatewayOptions? options = null)
    {
        options ??= new GatewayOptions();
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("invalid gateway options: " + string.Join("; ", errors), nameof(options));
        }

        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<TokenService>();
        services.AddSingleton<UserStore>();
        services.AddSingleton<UploadQuota>();
        services.AddSingleton<DeliveryLog>();
        services.AddSingleton<ScheduleRunner>();
        services.AddHostedService(provider => provider.GetRequiredService<ScheduleRunner>());
        services.AddSingleton<LoginThrottle>();
        services.AddSingleton<Metrics.GatewayMetrics>();
        services.Configure<JsonOptions>(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, GatewayJsonContext.Default));
        services.AddOpenApi(openApi =>
        {
            openApi.AddDocumentTransformer(OpenApiDocs.DescribeDocumentAsync);
            openApi.AddOperationTransformer(OpenApiDocs.AddCommonErrorsAsync);
        });
        return services;
    }
}
