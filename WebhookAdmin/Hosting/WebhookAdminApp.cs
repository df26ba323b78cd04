using WebhookAdmin.Components;
using WebhookAdmin.Features.Operations;

namespace WebhookAdmin.Hosting;

/// <summary>Builds the whole app: used by Program (serve) and by the bench command (the same pipeline, in-process).</summary>
public static class WebhookAdminApp
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = AppLocation.CreateBuilder(args);
        // First: callers add configuration that service registration reads (connection string, poll interval).
        configure?.Invoke(builder);
        builder.AddWebhookAdmin();

        var app = builder.Build();
        app.UseWebhookAdminPipeline();
        app.MapHealthEndpoints();
        app.MapMetricsApi();
        app.MapWebhookAdminApi();
        app.MapAdminUi();
        return app;
    }
}
