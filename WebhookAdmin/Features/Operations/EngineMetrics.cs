using System.Diagnostics.Metrics;
using WebhookAdmin.Features.Deliveries.Outbox;

namespace WebhookAdmin.Features.Operations;

/// <summary>
/// The instruments of the <c>WebhookAdmin</c> meter, and the commit observer that moves them: every count is taken
/// from a <see cref="CommittedChanges"/> after its commit, so a rolled-back or retried write counts nothing and a
/// committed one counts once. Names are the OpenTelemetry ones; the Prometheus exporter adds the unit and
/// <c>_total</c> suffixes, which gives the contract's names (section 6; the test scrapes them).
/// </summary>
public sealed class EngineMetrics : ICommitObserver
{
    public const string MeterName = "WebhookAdmin";

    private static readonly KeyValuePair<string, object?> Delivered = new("outcome", "delivered");
    private static readonly KeyValuePair<string, object?> Failed = new("outcome", "failed");
    private static readonly KeyValuePair<string, object?> Healthy = new("state", "healthy");
    private static readonly KeyValuePair<string, object?> Failing = new("state", "failing");
    private static readonly KeyValuePair<string, object?> Disabled = new("state", "disabled");

    /// <summary>From a few milliseconds (delivered at once) to the retry ladder's hours.</summary>
    private static readonly double[] LatencyBuckets =
        [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 7200, 14400];

    /// <summary>Batch sizes: powers of two up to the largest batch any writer makes (a group commit's 4,000 rows).</summary>
    private static readonly long[] SizeBuckets = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096];

    private readonly Meter _meter;
    private readonly Counter<long> _eventsIngested;
    private readonly Counter<long> _attempts;
    private readonly Histogram<double> _latency;
    private readonly Histogram<long> _groupCommit;
    private readonly Histogram<long> _claim;
    private readonly Histogram<long> _outcomes;
    private readonly Counter<long> _storedClaimed;

    public EngineMetrics(IMeterFactory meters, StateGauges gauges, ThisAppsMeter thisApp)
    {
        // From the host's factory, which also disposes it: the meter belongs to this app's container (the view in OperationsServices keeps
        // other apps' meters of the same name, in the same test process, out of this app's scrape).
        _meter = meters.Create(new MeterOptions(MeterName) { Version = typeof(EngineMetrics).Assembly.GetName().Version?.ToString(3) });
        // Before any instrument exists, so the view sees this meter as this app's when the first one is published.
        thisApp.Meter = _meter;
        _eventsIngested = _meter.CreateCounter<long>("webhookadmin.events.ingested", "{event}",
            "Events accepted (not repeats of a known id)");
        _attempts = _meter.CreateCounter<long>("webhookadmin.attempts", "{attempt}",
            "Delivery attempts made, by outcome (delivered = 2xx in time); test sends and health checks included");
        _latency = _meter.CreateHistogram("webhookadmin.delivery.latency", "s",
            "Event accepted to 2xx answer, the first successful attempt of each delivery of a published event",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
        _meter.CreateObservableGauge("webhookadmin.outbox.pending", () => gauges.Current().OutboxPending, "{delivery}",
            "Deliveries waiting to be sent (pending, due or not)");
        _meter.CreateObservableGauge("webhookadmin.webhooks", () => Webhooks(gauges.Current()), "{webhook}",
            "Webhooks by state, as the dashboard counts them");
        // Zero from the start, so the first scrape lists every counter series (a histogram appears with its first value).
        _eventsIngested.Add(0);
        _attempts.Add(0, Delivered);
        _attempts.Add(0, Failed);
        _groupCommit = SizeHistogram("webhookadmin.ingest.commit.requests", "{request}", "Ingestion requests stored by one group commit");
        _claim = SizeHistogram("webhookadmin.outbox.claim.deliveries", "{delivery}", "Deliveries taken by one claim of the outbox");
        _storedClaimed = _meter.CreateCounter<long>("webhookadmin.outbox.stored.claimed", "{delivery}",
            "Deliveries ingestion stored already claimed and handed to the drain (no claim of their own; ADR-019)");
        _storedClaimed.Add(0);
        _outcomes = SizeHistogram("webhookadmin.recorder.commit.outcomes", "{outcome}", "Outcomes the attempt recorder stored in one transaction");
    }

    public void Committed(CommittedChanges changes)
    {
        if (changes.EventsIngested > 0) _eventsIngested.Add(changes.EventsIngested);
        if (changes.AttemptsDelivered > 0) _attempts.Add(changes.AttemptsDelivered, Delivered);
        if (changes.AttemptsFailed > 0) _attempts.Add(changes.AttemptsFailed, Failed);
        foreach (var seconds in changes.FirstDeliveryLatencies) _latency.Record(seconds);
        if (changes.ClaimedAtInsert.Count > 0) _storedClaimed.Add(changes.ClaimedAtInsert.Count);
        switch (changes.Batch)
        {
            case OutboxBatch.GroupCommit: _groupCommit.Record(changes.BatchSize); break;
            case OutboxBatch.Claim: _claim.Record(changes.BatchSize); break;
            case OutboxBatch.Outcomes: _outcomes.Record(changes.BatchSize); break;
        }
    }

    private Histogram<long> SizeHistogram(string name, string unit, string description) =>
        _meter.CreateHistogram(name, unit, description, advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = SizeBuckets });

    private static Measurement<long>[] Webhooks(StateCounts counts) =>
        [new(counts.Healthy, Healthy), new(counts.Failing, Failing), new(counts.Disabled, Disabled)];
}
