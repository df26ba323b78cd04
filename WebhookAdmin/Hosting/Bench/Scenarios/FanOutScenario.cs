namespace WebhookAdmin.Hosting.Bench.Scenarios;

public sealed record FanOutResult(int Webhooks, bool AllDelivered, double AllDeliveredMs, double FirstDeliveredMs);

/// <summary>One event matching many webhooks: the time from publishing until every one of them has it.</summary>
public static class FanOutScenario
{
    public static async Task<FanOutResult> RunAsync(BenchOptions options)
    {
        await using var receiver = await BenchReceiver.StartAsync();
        await using var app = await BenchApp.StartAsync(options);
        var urls = Enumerable.Range(0, options.FanOut).Select(i => $"{receiver.BaseUrl}/ok/{i}").ToList();
        await Task.WhenAll(urls.Chunk(Math.Max(1, urls.Count / 8)).Select(app.CreateWebhooksAsync));

        receiver.PublishedAt = new();
        var publisher = new Publisher(app, receiver);
        await publisher.PublishOneAsync(); // warm the path
        await receiver.WaitForOkAsync(options.FanOut, TimeSpan.FromMinutes(1));
        receiver.ResetCounts();

        await publisher.PublishOneAsync();
        var complete = await receiver.WaitForOkAsync(options.FanOut, TimeSpan.FromMinutes(2));
        return new FanOutResult(options.FanOut, complete, receiver.Latencies.Summarize().MaxMs, receiver.Latencies.Minimum());
    }
}
