using System.Diagnostics;

namespace WebhookAdmin.Hosting.Bench.Scenarios;

public sealed record DrainResult(int Deliveries, bool AllDelivered, double Seconds, double DeliveriesPerSecond);

/// <summary>
/// A receiver was down: its webhooks are disabled and the backlog is held. Re-enabling them (health check,
/// replay) releases it all at once; measured is how fast the outbox empties.
/// </summary>
public static class DrainScenario
{
    public static async Task<DrainResult> RunAsync(BenchOptions options)
    {
        await using var receiver = await BenchReceiver.StartAsync();
        await using var app = await BenchApp.StartAsync(options);
        var ids = await app.CreateWebhooksAsync(Enumerable.Range(0, options.Webhooks).Select(i => $"{receiver.BaseUrl}/ok/{i}"));
        foreach (var id in ids)
            await app.ExpectAsync(HttpMethod.Post, $"/api/v1/webhooks/{id}/disable", null, System.Net.HttpStatusCode.OK);

        var publisher = new Publisher(app, receiver);
        var events = options.Drain / options.Webhooks;
        for (var published = 0; published < events; published += 1000)
            await publisher.PublishBatchAsync(Math.Min(1000, events - published));
        var deliveries = events * options.Webhooks;

        receiver.ResetCounts();
        var start = Stopwatch.GetTimestamp();
        foreach (var id in ids)
            await app.ExpectAsync(HttpMethod.Post, $"/api/v1/webhooks/{id}/enable", new { replayHeld = true }, System.Net.HttpStatusCode.OK);
        // Each enable's health check also lands on /ok.
        var complete = await receiver.WaitForOkAsync(deliveries + ids.Count, TimeSpan.FromMinutes(10));
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        return new DrainResult(deliveries, complete, Math.Round(seconds, 2), Math.Round(deliveries / seconds));
    }
}
