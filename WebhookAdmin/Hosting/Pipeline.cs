using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Scalar.AspNetCore;
using WebhookAdmin.Components;
using WebhookAdmin.Features.Accounts;
using WebhookAdmin.Features.Deliveries;
using WebhookAdmin.Features.Deliveries.Replays;
using WebhookAdmin.Features.Events;
using WebhookAdmin.Features.Webhooks;
using WebhookAdmin.Hosting.Api;
using WebhookAdmin.Hosting.Limits;
using WebhookAdmin.Hosting.Security;

namespace WebhookAdmin.Hosting;

public static class Pipeline
{
    public static WebApplication UseWebhookAdminPipeline(this WebApplication app)
    {
        app.UseForwardedHeadersSupport();
        app.UseSecurityHeaders();
        // API errors are problem+json; the handler below maps unreadable input, the rest is a plain 500 page/problem.
        app.UseExceptionHandler();
        if (!app.Environment.IsDevelopment())
            app.UseHsts();
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        // Inside the UI's re-execute: an API answer without a body becomes a problem here, so it never turns into a page.
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/api"),
            api => api.UseStatusCodePages(ApiProblems.WriteStatusCodePage).UseNulCharacterChecks());
        app.UseAdminUiLocalization();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseLimits();
        app.UseAntiforgery();
        app.MapStaticAssets();
        return app;
    }

    public static WebApplication MapHealthEndpoints(this WebApplication app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = check => check.Tags.Contains("live") })
            .DisableHttpMetrics();
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        return app;
    }

    public static WebApplication MapWebhookAdminApi(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapScalarApiReference(SecurityHeaders.ApiReferencePath, options => options
            .WithTitle("WebhookAdmin API")
            .WithOpenApiRoutePattern("/openapi/{documentName}.json"));

        var api = app.MapGroup("/api/v1").RejectNullsTheContractForbids();
        api.MapAccountsApi();
        api.MapEventsApi();
        api.MapWebhooksApi();
        api.MapDeliveriesApi();
        api.MapReplaysApi();
        return app;
    }
}
