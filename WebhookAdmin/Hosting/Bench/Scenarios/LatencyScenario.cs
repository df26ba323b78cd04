namespace WebhookAdmin.Hosting.Bench.Scenarios;

public sealed record LatencyResult(int Rate, int Webhooks, long Events, bool AllDelivered, LatencySummary Delivery, LatencySummary Ingest);

/// <summary>
/// Publish → request at the receiver, at a steady rate with several matching webhooks per event. The clock
/// starts just before the publisher sends the event, so the figure includes ingestion.
/// </summary>
public static class LatencyScenario
{
    public static async Task<LatencyResult> RunAsync(BenchOptions options, IEnumerable<string>? extraUrls = null)
    {
        await using var receiver = await BenchReceiver.StartAsync();
        await using var app = await BenchApp.StartAsync(options);
        var urls = Enumerable.Range(0, options.Webhooks).Select(i => $"{receiver.BaseUrl}/ok/{i}");
        await app.CreateWebhooksAsync(urls.Concat(extraUrls?.Select(u => receiver.BaseUrl + u) ?? []));
        receiver.PublishedAt = new();
        var publisher = new Publisher(app, receiver);

        await publisher.SteadyAsync(options.Rate, options.Warmup);
        await receiver.WaitForOkAsync(publisher.Published * options.Webhooks, TimeSpan.FromMinutes(2));
        receiver.ResetCounts();
        publisher.IngestLatencies.Clear();

        var events = await publisher.SteadyAsync(options.Rate, options.Duration);
        var complete = await receiver.WaitForOkAsync(events * options.Webhooks, TimeSpan.FromMinutes(2));
        return new LatencyResult(options.Rate, options.Webhooks, events, complete,
            receiver.Latencies.Summarize(), publisher.IngestLatencies.Summarize());
    }
}
