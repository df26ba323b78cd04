using System.Diagnostics.Metrics;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using WebhookAdmin.Features.Deliveries.Outbox;
using WebhookAdmin.Features.Deliveries.Tracing;

namespace WebhookAdmin.Features.Operations;

/// <summary>
/// Metrics, traces and logs through OpenTelemetry (ADR-015). Metrics always: <c>GET /metrics</c> (Prometheus text)
/// reads them. Traces and logs, and metrics a second way, only towards an OTLP endpoint when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set; otherwise no tracer is registered and no activity is ever made.
/// </summary>
public static class OperationsServices
{
    /// <summary>The standard OpenTelemetry variable; the exporter also reads its siblings (protocol, headers, timeout).</summary>
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public const string ServiceName = "webhookadmin";

    public static IServiceCollection AddOperations(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MetricsOptions>()
            .Bind(configuration.GetSection(MetricsOptions.Section))
            .Validate(o => o.GaugeMaxAge >= TimeSpan.Zero, "Metrics:GaugeMaxAge must not be negative.")
            .ValidateOnStart();
        var thisApp = new ThisAppsMeter();
        services.AddSingleton(thisApp);
        services.AddSingleton<StateGauges>();
        services.AddSingleton<EngineMetrics>();
        services.AddSingleton<ICommitObserver>(sp => sp.GetRequiredService<EngineMetrics>());

        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource =>
            {
                // OTEL_SERVICE_NAME, when set, names the service instead.
                if (string.IsNullOrWhiteSpace(configuration["OTEL_SERVICE_NAME"]))
                    resource.AddService(ServiceName, serviceVersion: typeof(OperationsServices).Assembly.GetName().Version?.ToString(3));
            })
            .WithMetrics(metrics => metrics
                .AddMeter(EngineMetrics.MeterName)
                .AddView(OnlyThisApp(thisApp))
                .AddPrometheusExporter(prometheus =>
                {
                    // Series exactly as the contract names them, without otel_scope_* labels on every line.
                    prometheus.ScopeInfoEnabled = false;
                    // Every scrape tells the truth now: scrapes are rare, and a cached answer would hide a test's counts.
                    prometheus.ScrapeResponseCacheDurationMilliseconds = 0;
                }));

        if (!string.IsNullOrWhiteSpace(configuration[OtlpEndpointKey]))
        {
            telemetry
                .WithTracing(tracing => tracing
                    .AddSource(EventTrace.SourceName)
                    // The request spans that ingestion and test sends are children of; scrapes and probes are noise.
                    .AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.Filter = context => !IsProbe(context.Request.Path)))
                .WithLogging()
                .UseOtlpExporter();
        }
        return services;
    }

    /// <summary>
    /// Only this app's <c>WebhookAdmin</c> meter: another app in the same process (the tests run several) makes one of
    /// the same name, which the provider would otherwise merge into this app's series.
    /// </summary>
    private static Func<Instrument, MetricStreamConfiguration?> OnlyThisApp(ThisAppsMeter thisApp) => instrument =>
        instrument.Meter.Name == EngineMetrics.MeterName && !ReferenceEquals(instrument.Meter, thisApp.Meter)
            ? MetricStreamConfiguration.Drop
            : null;

    private static bool IsProbe(PathString path) =>
        path.StartsWithSegments(MetricsApi.Path) || path.StartsWithSegments("/healthz") || path.StartsWithSegments("/readyz");
}

/// <summary>The meter <see cref="EngineMetrics"/> made in this app's container, for the view that keeps other apps' out.</summary>
public sealed class ThisAppsMeter
{
    public Meter? Meter { get; set; }
}
