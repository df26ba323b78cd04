using System.Text;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using WebhookAdmin.Hosting.Api;

namespace WebhookAdmin.Features.Operations;

/// <summary>
/// <c>GET /metrics</c>: the Prometheus text format, to a bearer token with scope <c>admin</c> (401 without one, 403
/// without the scope, as problem+json like the API), or to anyone when <c>Metrics:Anonymous</c> is true.
/// </summary>
public static class MetricsApi
{
    public const string Path = "/metrics";

    public static IEndpointRouteBuilder MapMetricsApi(this IEndpointRouteBuilder app)
    {
        // Both made now, the provider first: it must be listening when the counters' zeros are added, and the gauges
        // must be there for a scrape of an idle app.
        app.ServiceProvider.GetRequiredService<MeterProvider>();
        app.ServiceProvider.GetRequiredService<EngineMetrics>();
        var endpoint = app.MapPrometheusScrapingEndpoint(Path, meterProvider: null, configureBranchedPipeline: WithoutEmptyLabelSets, optionsName: null)
            .WithDisplayName("Prometheus scrape")
            // A scrape is not traffic worth measuring.
            .DisableHttpMetrics();
        if (!app.ServiceProvider.GetRequiredService<IOptions<MetricsOptions>>().Value.Anonymous)
            endpoint.RequireAuthorization(ApiPolicies.Admin);
        return app;
    }

    /// <summary>
    /// The exporter writes a series without labels as <c>name{} 5</c>. Valid, but the contract's series read
    /// <c>webhookadmin_events_ingested_total 5</c>, and a line-oriented check (grep, a shell script) should find them
    /// as written; so an empty label set is dropped from each sample line. A scrape is a few kilobytes.
    /// </summary>
    private static void WithoutEmptyLabelSets(IApplicationBuilder branch) => branch.Use(async (context, next) =>
    {
        var response = context.Response;
        var original = response.Body;
        using var buffer = new MemoryStream();
        response.Body = buffer;
        try
        {
            await next(context);
        }
        finally
        {
            response.Body = original;
        }
        var text = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        var body = Encoding.UTF8.GetBytes(Bare(text));
        response.ContentLength = body.Length;
        await original.WriteAsync(body, context.RequestAborted);
    });

    private static string Bare(string scrape)
    {
        var lines = scrape.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.StartsWith('#')) continue;
            var at = line.IndexOf("{} ", StringComparison.Ordinal);
            if (at > 0) lines[i] = string.Concat(line.AsSpan(0, at), line.AsSpan(at + 2));
        }
        return string.Join('\n', lines);
    }
}
