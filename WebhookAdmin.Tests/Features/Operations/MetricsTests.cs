using System.Net;
using WebhookAdmin.Tests.Infrastructure;

namespace WebhookAdmin.Tests.Features.Operations;

/// <summary>
/// <c>GET /metrics</c> scraped before and after real deliveries to a real receiver: the counters move by exactly
/// what the test made happen. The clock is fake, so a failed delivery waits for its retry until the test moves it
/// (it never does): every count is known.
/// </summary>
public sealed class MetricsTests : IAsyncLifetime
{
    private const string Ingested = "webhookadmin_events_ingested_total";
    private const string Attempts = "webhookadmin_attempts_total";
    private const string LatencyCount = "webhookadmin_delivery_latency_seconds_count";
    private const string Pending = "webhookadmin_outbox_pending";
    private const string Webhooks = "webhookadmin_webhooks";
    private const string ClaimedSum = "webhookadmin_outbox_claim_deliveries_sum";
    private const string StoredClaimed = "webhookadmin_outbox_stored_claimed_total";

    private TestReceiver _receiver = null!;
    private DeliveryWorld _world = null!;

    public async ValueTask InitializeAsync()
    {
        _receiver = await TestReceiver.StartAsync();
        _receiver.Respond(request => request.Path.StartsWith("/fail", StringComparison.Ordinal) ? ReceiverAnswer.Fail(500) : ReceiverAnswer.Ok);
        // Gauges read on every scrape, so a test sees a change at once instead of after the default five seconds.
        _world = await DeliveryWorld.StartAsync(new WorldOptions { FakeClock = true, Receiver = _receiver }.With("Metrics:GaugeMaxAge", "00:00:00"));
    }

    public async ValueTask DisposeAsync()
    {
        await _world.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    [Fact]
    public async Task The_counters_move_by_exactly_the_events_and_attempts_a_test_made()
    {
        const int events = 4;
        var answering = new List<string>();
        for (var i = 0; i < 3; i++) answering.Add((await _world.CreateWebhookAsync(_receiver.UrlFor($"/ok/{i}"))).Id);
        var failing = new List<string>();
        for (var i = 0; i < 2; i++) failing.Add((await _world.CreateWebhookAsync(_receiver.UrlFor($"/fail/{i}"))).Id);
        var webhooks = answering.Count + failing.Count;
        var before = await ScrapeAsync();

        for (var i = 0; i < events - 1; i++) await _world.PublishAsync();
        // Published twice under its own id: one event ingested, the repeat fans out nothing and counts nothing.
        var repeated = new { id = "evt_metrics_repeat", @event = "TODO_CREATED", projectId = DeliveryWorld.ProjectId };
        await _world.Admin.PostOk("/api/v1/events", repeated, HttpStatusCode.Accepted);
        await _world.Admin.PostOk("/api/v1/events", repeated, HttpStatusCode.OK);

        await _receiver.WaitForAsync(events * webhooks);
        foreach (var webhookId in answering.Concat(failing))
            foreach (var delivery in await _world.DeliveriesAsync(webhookId))
                await _world.WaitForAttemptsAsync(delivery.GetProperty("id").GetInt64(), 1);
        var after = await ScrapeUntilAsync(s => Moved(before, s, Attempts) >= events * webhooks, "every attempt counted");

        Assert.Equal(events, Moved(before, after, Ingested));
        Assert.Equal(events * answering.Count, Moved(before, after, Attempts, ("outcome", "delivered")));
        Assert.Equal(events * failing.Count, Moved(before, after, Attempts, ("outcome", "failed")));
        Assert.Equal(events * answering.Count, Moved(before, after, LatencyCount));
        Assert.Equal(after.Value(LatencyCount), after.Value("webhookadmin_delivery_latency_seconds_bucket", ("le", "+Inf")));
        Assert.True(after.Value("webhookadmin_delivery_latency_seconds_sum") > 0);

        // A resend of a delivered delivery is an attempt, not a second first delivery.
        var delivered = (await _world.DeliveriesAsync(answering[0]))[0].GetProperty("id").GetInt64();
        await _world.Admin.PostOk($"/api/v1/deliveries/{delivered}/resend", null, HttpStatusCode.Accepted);
        await _world.WaitForAttemptsAsync(delivered, 2);
        var resent = await ScrapeUntilAsync(s => Moved(after, s, Attempts) >= 1, "the resend counted");
        Assert.Equal(1, Moved(after, resent, Attempts, ("outcome", "delivered")));
        Assert.Equal(0, Moved(after, resent, LatencyCount));

        // A test send and a failing one: attempts both, and no event ingested (nobody published them).
        await _world.Admin.PostOk($"/api/v1/webhooks/{answering[1]}/test", new { @event = "TODO_CREATED" });
        await _world.Admin.PostOk($"/api/v1/webhooks/{failing[0]}/test", new { @event = "TODO_CREATED" });
        var tested = await ScrapeAsync();
        Assert.Equal(1, Moved(resent, tested, Attempts, ("outcome", "delivered")));
        Assert.Equal(1, Moved(resent, tested, Attempts, ("outcome", "failed")));
        Assert.Equal(0, Moved(resent, tested, Ingested));
        Assert.Equal(0, Moved(resent, tested, LatencyCount));
        // Every first attempt was taken once: by a claim of the drain, or as ingestion stored it (ADR-019).
        Assert.Equal(events * webhooks, Moved(before, after, ClaimedSum) + Moved(before, after, StoredClaimed));
    }

    // On both providers: on PostgreSQL ingestion reads each webhook's room across instances first (ADR-020).
    [Fact]
    public async Task Once_the_drain_has_caught_up_fresh_deliveries_are_stored_claimed_and_need_no_claim()
    {
        var webhooks = new List<string>();
        for (var i = 0; i < 2; i++) webhooks.Add((await _world.CreateWebhookAsync(_receiver.UrlFor($"/ok/{i}"))).Id);
        // Whatever state start-up left the drain in, it has caught up once this event is out.
        await _world.PublishAsync();
        await AllDeliveredAsync(_world, webhooks, 1);
        var before = await ScrapeAsync();

        for (var i = 0; i < 3; i++) await _world.PublishAsync();
        await AllDeliveredAsync(_world, webhooks, 4);
        var after = await ScrapeUntilAsync(s => Moved(before, s, Attempts) >= 6, "every attempt counted");

        Assert.Equal(6, Moved(before, after, StoredClaimed));
        Assert.Equal(0, Moved(before, after, ClaimedSum));
    }

    [Fact]
    public async Task Without_claims_at_insert_every_delivery_is_claimed_by_the_drain()
    {
        await using var world = await DeliveryWorld.StartAsync(new WorldOptions { FakeClock = true, Receiver = _receiver }
            .With("Metrics:GaugeMaxAge", "00:00:00").With("Delivery:ClaimAtInsert", "false"));
        var webhooks = new List<string>();
        for (var i = 0; i < 2; i++) webhooks.Add((await world.CreateWebhookAsync(_receiver.UrlFor($"/ok/{i}"))).Id);
        await world.PublishAsync();
        await AllDeliveredAsync(world, webhooks, 1);
        var before = await ScrapeAsync(world);

        for (var i = 0; i < 3; i++) await world.PublishAsync();
        await AllDeliveredAsync(world, webhooks, 4);
        var after = await Eventually.ReturnsAsync(() => ScrapeAsync(world), s => Moved(before, s, Attempts) >= 6, "every attempt counted");

        Assert.Equal(0, Moved(before, after, StoredClaimed));
        Assert.Equal(6, Moved(before, after, ClaimedSum));
    }

    private static async Task AllDeliveredAsync(DeliveryWorld world, List<string> webhooks, int perWebhook)
    {
        foreach (var webhookId in webhooks)
        {
            var deliveries = await Eventually.ReturnsAsync(() => world.DeliveriesAsync(webhookId), d => d.Count == perWebhook, "every delivery stored");
            foreach (var delivery in deliveries) await world.WaitForStatusAsync(delivery.GetProperty("id").GetInt64(), "delivered");
        }
    }

    [Fact]
    public async Task The_gauges_count_deliveries_waiting_and_webhooks_as_the_dashboard_does()
    {
        for (var i = 0; i < 2; i++) await _world.CreateWebhookAsync(_receiver.UrlFor($"/ok/{i}"));
        var (failing, _) = await _world.CreateWebhookAsync(_receiver.UrlFor("/fail"));
        var (disabled, _) = await _world.CreateWebhookAsync(_receiver.UrlFor("/ok/off"));
        await _world.Admin.PostOk($"/api/v1/webhooks/{disabled}/disable", null);
        var idle = await ScrapeAsync();
        Assert.Equal(0, idle.Value(Pending));
        Assert.Equal(3, idle.Value(Webhooks, ("state", "healthy")));
        Assert.Equal(0, idle.Value(Webhooks, ("state", "failing")));
        Assert.Equal(1, idle.Value(Webhooks, ("state", "disabled")));

        for (var i = 0; i < 3; i++) await _world.PublishAsync();
        await _receiver.WaitForAsync(3 * 3);
        foreach (var delivery in await _world.DeliveriesAsync(failing))
            await _world.WaitForAttemptsAsync(delivery.GetProperty("id").GetInt64(), 1);

        // The failed deliveries wait for their retry (pending, not yet due); the disabled webhook's are held, not waiting.
        var busy = await ScrapeUntilAsync(s => s.Value(Webhooks, ("state", "failing")) == 1, "the failing webhook counted");
        Assert.Equal(3, busy.Value(Pending));
        Assert.Equal(2, busy.Value(Webhooks, ("state", "healthy")));
        Assert.Equal(1, busy.Value(Webhooks, ("state", "disabled")));

        // Disabled by hand: its waiting deliveries are held, and it counts as disabled, not failing.
        await _world.Admin.PostOk($"/api/v1/webhooks/{failing}/disable", null);
        var off = await ScrapeAsync();
        Assert.Equal(0, off.Value(Pending));
        Assert.Equal(2, off.Value(Webhooks, ("state", "healthy")));
        Assert.Equal(0, off.Value(Webhooks, ("state", "failing")));
        Assert.Equal(2, off.Value(Webhooks, ("state", "disabled")));
    }

    [Fact]
    public async Task The_scrape_names_and_types_every_series_as_the_contract_says()
    {
        var (webhookId, _) = await _world.CreateWebhookAsync(_receiver.UrlFor("/ok"));
        await _world.PublishAsync();
        await _receiver.WaitForAsync(1);
        var id = (await _world.DeliveriesAsync(webhookId))[0].GetProperty("id").GetInt64();
        await _world.WaitForStatusAsync(id, "delivered");
        var scrape = await ScrapeUntilAsync(s => s.Value(LatencyCount) == 1, "the delivery counted");

        Assert.Equal("counter", scrape.Types[Ingested]);
        Assert.Equal("counter", scrape.Types[Attempts]);
        Assert.Equal("histogram", scrape.Types["webhookadmin_delivery_latency_seconds"]);
        Assert.Equal("gauge", scrape.Types[Pending]);
        Assert.Equal("gauge", scrape.Types[Webhooks]);
        // Exactly the contract's labels: nothing else on these series (no otel_scope_* labels).
        Assert.Equal(["outcome"], scrape.Samples.Where(s => s.Name == Attempts).SelectMany(s => s.Labels.Keys).Distinct());
        Assert.Equal(["state"], scrape.Samples.Where(s => s.Name == Webhooks).SelectMany(s => s.Labels.Keys).Distinct());
        Assert.Empty(scrape.Samples.Where(s => s.Name is Ingested or Pending or LatencyCount).SelectMany(s => s.Labels.Keys));
        Assert.Contains("webhookadmin_events_ingested_total 1", scrape.Text.Split('\n').Select(l => l.Trim()));
        Assert.True(scrape.Has("webhookadmin_ingest_commit_requests_count"));
        // The one delivery was taken by a claim (the histogram appears with its first value) or as it was stored.
        Assert.Equal("counter", scrape.Types[StoredClaimed]);
        Assert.True(scrape.Has("webhookadmin_outbox_claim_deliveries_count") || scrape.Value(StoredClaimed) == 1, "the delivery was claimed");
        Assert.True(scrape.Has("webhookadmin_recorder_commit_outcomes_count"));
    }

    private Task<PrometheusScrape> ScrapeAsync() => ScrapeAsync(_world);

    private static async Task<PrometheusScrape> ScrapeAsync(DeliveryWorld world)
    {
        using var response = await world.Admin.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET /metrics answered {(int)response.StatusCode}: {text}");
        return PrometheusScrape.Parse(text);
    }

    /// <summary>
    /// The counters move right after the commit that the API already shows, so a scrape may come a moment early:
    /// scrape until the state is reached, then compare exactly.
    /// </summary>
    private Task<PrometheusScrape> ScrapeUntilAsync(Func<PrometheusScrape, bool> reached, string what) =>
        Eventually.ReturnsAsync(ScrapeAsync, reached, what);

    private static double Moved(PrometheusScrape before, PrometheusScrape after, string name, params (string, string)[] labels) =>
        after.Value(name, labels) - before.Value(name, labels);
}
