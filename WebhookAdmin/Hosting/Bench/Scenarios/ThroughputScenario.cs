using System.Diagnostics;
using System.Net.Http.Headers;
using Microsoft.EntityFrameworkCore;
using WebhookAdmin.Data;
using WebhookAdmin.Features.Deliveries;

namespace WebhookAdmin.Hosting.Bench.Scenarios;

public sealed record ThroughputResult(
    double DeliveriesPerSecond, long Delivered, long BacklogAtEnd, long MaxBacklog, int BacklogCap,
    long AttemptsRecorded, long DeliveredRows, double BaselinePerSecond, double Ratio, int Concurrency);

/// <summary>
/// Sustained deliveries per second with every attempt recorded, publishing as fast as a bounded backlog
/// allows (so the backlog cannot grow), against plain HttpClient posts of the same bodies to the same receiver.
/// </summary>
public static class ThroughputScenario
{
    public static async Task<ThroughputResult> RunAsync(BenchOptions options)
    {
        await using var receiver = await BenchReceiver.StartAsync();
        var sample = await MeasureAppAsync(options, receiver);
        var baseline = await BaselineAsync(receiver, options.Concurrency, Min(options.ThroughputDuration, TimeSpan.FromSeconds(10)));
        return sample with
        {
            BaselinePerSecond = Math.Round(baseline),
            Ratio = baseline == 0 ? 0 : Math.Round(sample.DeliveriesPerSecond / baseline, 3),
        };
    }

    private static async Task<ThroughputResult> MeasureAppAsync(BenchOptions options, BenchReceiver receiver)
    {
        await using var app = await BenchApp.StartAsync(options);
        await app.CreateWebhooksAsync(Enumerable.Range(0, options.Webhooks).Select(i => $"{receiver.BaseUrl}/ok/{i}"));
        var publisher = new Publisher(app, receiver);
        var backlogCap = Math.Max(2_000, options.Concurrency * 50);
        var batch = Math.Max(1, Math.Min(100, backlogCap / options.Webhooks / 4));

        await publisher.SaturateAsync(options.Warmup, options.Webhooks, backlogCap, batch);
        var sample = await publisher.SaturateAsync(options.ThroughputDuration, options.Webhooks, backlogCap, batch);

        // Every delivery the receiver saw must also be a stored attempt: wait for the recorder to catch up, then count.
        var expected = publisher.Published * options.Webhooks;
        await receiver.WaitForOkAsync(expected, TimeSpan.FromMinutes(2));
        var (attempts, delivered) = await CountAsync(app, expected);
        return new ThroughputResult(sample.DeliveriesPerSecond, sample.Delivered, sample.BacklogAtEnd, sample.MaxBacklog, backlogCap,
            attempts, delivered, 0, 0, options.Concurrency);
    }

    private static async Task<(long Attempts, long Delivered)> CountAsync(BenchApp app, long expected)
    {
        var dbFactory = app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        var deadline = Stopwatch.GetTimestamp() + 60 * Stopwatch.Frequency;
        while (true)
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            var delivered = await db.Deliveries.LongCountAsync(d => d.Status == DeliveryStatus.Delivered);
            var attempts = await db.Attempts.LongCountAsync();
            if (delivered >= expected || Stopwatch.GetTimestamp() > deadline) return (attempts, delivered);
            await Task.Delay(100);
        }
    }

    /// <summary>The machine's limit: the same receiver, bodies of the same size, plain HttpClient, same concurrency.</summary>
    public static async Task<double> BaselineAsync(BenchReceiver receiver, int concurrency, TimeSpan duration)
    {
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency });
        var body = System.Text.Encoding.UTF8.GetBytes(SampleBody);
        var url = $"{receiver.BaseUrl}/ok/baseline";
        long sent = 0;
        var end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var start = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (Stopwatch.GetTimestamp() < end)
            {
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var response = await client.PostAsync(url, content);
                Interlocked.Increment(ref sent);
            }
        }));
        return sent / Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>The size and shape of what the bench's events become at the receiver (about 700 bytes).</summary>
    private const string SampleBody = """
        {"id":"evt_bench_00000000_1","event":"TODO_DONE_STATUS_UPDATED","timestamp":"2026-11-26T10:00:00.000Z","webhook":{"id":"01a219dcb80c7c65b816000b90d832bc","uid":"wh_fd9a948fe10e","url":"http://127.0.0.1:40000/ok/0","status":"HEALTHY","enabled":true,"metadata":{"events":[],"projectIds":["bench-project"]}},"company":{"id":"bench-co","name":"Bench Co"},"project":{"id":"bench-project","name":"Bench"},"actor":{"id":"user_42"},"previousValue":{"id":"todo_123","title":"Draft proposal","done":false,"listId":"list_1"},"currentValue":{"id":"todo_123","title":"Draft proposal","done":true,"listId":"list_1"}}
        """;
}
