namespace WebhookAdmin.Features.Events;

public static class EventsServices
{
    public static IServiceCollection AddEvents(this IServiceCollection services)
    {
        services.AddSingleton<IngestionService>();
        return services;
    }
}
