namespace WebhookAdmin.Hosting.Bench.Scenarios;

public sealed record LatencyResult(
    int Rate, int Webhooks, long Events, bool AllDelivered, LatencySummary Delivery, LatencySummary Ingest, double CpuMsPerEvent)
{
    /// <summary>App instances the events were spread over (<c>--instances</c>), all in this process.</summary>
    public int Instances { get; init; } = 1;
}

/// <summary>
/// Publish → request at the receiver, at a steady rate with several matching webhooks per event. The clock
/// starts just before the publisher sends the event, so the figure includes ingestion. With <c>--instances</c>, the
/// events go to each instance in turn.
/// </summary>
public static class LatencyScenario
{
    public static async Task<LatencyResult> RunAsync(BenchOptions options, IEnumerable<string>? extraUrls = null)
    {
        await using var receiver = await BenchReceiver.StartAsync();
        await using var apps = await BenchApps.StartFirstAsync(options);
        var urls = Enumerable.Range(0, options.Webhooks).Select(i => $"{receiver.BaseUrl}/ok/{i}");
        await apps.First.CreateWebhooksAsync(urls.Concat(extraUrls?.Select(u => receiver.BaseUrl + u) ?? []));
        await apps.StartOthersAsync();
        receiver.PublishedAt = new();
        var publisher = new Publisher(apps.NextApi, receiver);

        await publisher.SteadyAsync(options.Rate, options.Warmup);
        await receiver.WaitForOkAsync(publisher.Published * options.Webhooks, TimeSpan.FromMinutes(2));
        receiver.ResetCounts();
        publisher.IngestLatencies.Clear();

        // CPU of the whole process (app, receiver and publisher) per event: what bounds the rate on this machine.
        var cpuBefore = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        var events = await publisher.SteadyAsync(options.Rate, options.Duration);
        var complete = await receiver.WaitForOkAsync(events * options.Webhooks, TimeSpan.FromMinutes(2));
        var cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        return new LatencyResult(options.Rate, options.Webhooks, events, complete,
            receiver.Latencies.Summarize(), publisher.IngestLatencies.Summarize(), Math.Round(cpu.TotalMilliseconds / Math.Max(1, events), 2))
        { Instances = options.Instances };
    }
}
