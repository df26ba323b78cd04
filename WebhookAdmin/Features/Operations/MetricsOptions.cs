namespace WebhookAdmin.Features.Operations;

/// <summary>The <c>Metrics</c> section: who may scrape <c>GET /metrics</c>, and how fresh its database gauges are.</summary>
public sealed class MetricsOptions
{
    public const string Section = "Metrics";

    /// <summary>True: <c>GET /metrics</c> answers without a token (a scraper on a private network). Default: admin token.</summary>
    public bool Anonymous { get; set; }

    /// <summary>
    /// How old the gauges' counts (outbox pending, webhooks by state) may be when scraped: they are read from the
    /// database at most once per this period, however many scrapers there are. Zero: read on every scrape.
    /// </summary>
    public TimeSpan GaugeMaxAge { get; set; } = TimeSpan.FromSeconds(5);
}
