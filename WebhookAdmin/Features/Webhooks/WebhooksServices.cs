using WebhookAdmin.Features.Webhooks.Destinations;

namespace WebhookAdmin.Features.Webhooks;

public static class WebhooksServices
{
    public static IServiceCollection AddWebhooks(this IServiceCollection services)
    {
        services.AddSingleton<IDestinationResolver, DnsDestinationResolver>();
        services.AddSingleton<DestinationGuard>();
        services.AddSingleton<WebhookSecrets>();
        services.AddSingleton<WebhookRules>();
        services.AddSingleton<WebhookService>();
        services.AddSingleton<WebhookProbes>();
        return services;
    }
}
