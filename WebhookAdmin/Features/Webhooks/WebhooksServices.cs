namespace WebhookAdmin.Features.Webhooks;

public static class WebhooksServices
{
    public static IServiceCollection AddWebhooks(this IServiceCollection services)
    {
        services.AddSingleton<WebhookSecrets>();
        services.AddSingleton<WebhookRules>();
        services.AddSingleton<WebhookService>();
        services.AddSingleton<Filters.FilterPreview>();
        services.AddSingleton<WebhookProbes>();
        services.AddSingleton<WebhookHealth>();
        services.AddSingleton<Subscriptions.SubscriptionIndex>();
        services.AddSingleton<Deliveries.Outbox.ICommitObserver>(sp => sp.GetRequiredService<Subscriptions.SubscriptionIndex>());
        services.AddSingleton<Subscriptions.SubscriptionChangeInterceptor>();
        services.AddSingleton<Deliveries.Sending.IWebhookSnapshots, Subscriptions.WebhookSnapshots>();
        return services;
    }
}
