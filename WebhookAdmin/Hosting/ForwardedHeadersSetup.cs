using Microsoft.Extensions.Options;

namespace WebhookAdmin.Hosting;

/// <summary>Reverse proxy support: see <see cref="ForwardedHeadersSettings"/>.</summary>
public static class ForwardedHeadersSetup
{
    public static IServiceCollection AddForwardedHeadersSupport(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ForwardedHeadersSettings>()
            .Bind(configuration.GetSection(ForwardedHeadersSettings.Section))
            .Validate(settings => settings.IsValid(),
                "ForwardedHeaders:KnownProxies takes IP addresses (10.0.0.5), ForwardedHeaders:KnownNetworks CIDR networks (10.0.0.0/8).")
            .ValidateOnStart();
        services.AddOptions<ForwardedHeadersOptions>()
            .Configure<IOptions<ForwardedHeadersSettings>>((options, settings) => settings.Value.ApplyTo(options));
        return services;
    }

    /// <summary>First in the pipeline: HSTS, redirects and cookies after it must see the visitor's scheme, not the proxy's.</summary>
    public static WebApplication UseForwardedHeadersSupport(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<ForwardedHeadersSettings>>().Value.Enabled)
            app.UseForwardedHeaders();
        return app;
    }
}
