using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace WebhookAdmin.Hosting.Bench;

/// <summary>
/// Publishes events through the real ingestion API over HTTP, at a steady rate or as fast as a backlog cap allows;
/// each request to the app <paramref name="api"/> answers (the next instance, with several).
/// </summary>
public sealed class Publisher(Func<HttpClient> api, BenchReceiver receiver)
{
    public Publisher(BenchApp app, BenchReceiver receiver) : this(() => app.Api, receiver) { }

    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private long _sequence;

    public LatencyRecorder IngestLatencies { get; } = new();
    public long Published => Interlocked.Read(ref _sequence);

    /// <summary>Open loop: event i is sent at start + i/rate whatever the previous answers did.</summary>
    public async Task<long> SteadyAsync(int rate, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        var total = (long)(rate * duration.TotalSeconds);
        var start = Stopwatch.GetTimestamp();
        var inFlight = new List<Task>((int)Math.Min(total, 100_000));
        for (long i = 0; i < total; i++)
        {
            var due = start + (long)(i * (double)Stopwatch.Frequency / rate);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.FromMilliseconds(1)) await Task.Delay(wait, cancellationToken);
            inFlight.Add(PublishOneAsync());
        }
        await Task.WhenAll(inFlight);
        return total;
    }

    /// <summary>
    /// Closed loop: keeps at most <paramref name="backlogCap"/> deliveries published but not yet received, in
    /// batches, for <paramref name="duration"/>. Returns the deliveries received per second over the window.
    /// </summary>
    public async Task<ThroughputSample> SaturateAsync(TimeSpan duration, int webhooks, int backlogCap, int batchSize)
    {
        var receivedAtStart = receiver.OkArrivals;
        long publishedDeliveries = 0;
        var start = Stopwatch.GetTimestamp();
        var end = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var maxBacklog = 0L;
        var senders = Enumerable.Range(0, 4).Select(async _ =>
        {
            while (Stopwatch.GetTimestamp() < end)
            {
                var backlog = Interlocked.Read(ref publishedDeliveries) - (receiver.OkArrivals - receivedAtStart);
                InterlockedMax(ref maxBacklog, backlog);
                if (backlog + (long)batchSize * webhooks > backlogCap)
                {
                    await Task.Delay(1);
                    continue;
                }
                Interlocked.Add(ref publishedDeliveries, (long)batchSize * webhooks);
                await PublishBatchAsync(batchSize);
            }
        }).ToList();
        await Task.WhenAll(senders);
        var elapsed = Stopwatch.GetElapsedTime(start);
        var received = receiver.OkArrivals - receivedAtStart;
        var backlogAtEnd = publishedDeliveries - received;
        return new ThroughputSample(Math.Round(received / elapsed.TotalSeconds), received, backlogAtEnd, maxBacklog);
    }

    public async Task PublishOneAsync()
    {
        var id = NextId();
        receiver.PublishedAt?.TryAdd(id, Stopwatch.GetTimestamp());
        var started = Stopwatch.GetTimestamp();
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(EventJson(id)));
        content.Headers.ContentType = Json;
        using var response = await api().PostAsync("/api/v1/events", content);
        if (response.StatusCode != HttpStatusCode.Accepted)
            throw new InvalidOperationException($"Publishing answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        IngestLatencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    public async Task PublishBatchAsync(int count)
    {
        var builder = new StringBuilder("[");
        for (var i = 0; i < count; i++)
        {
            var id = NextId();
            receiver.PublishedAt?.TryAdd(id, Stopwatch.GetTimestamp());
            if (i > 0) builder.Append(',');
            builder.Append(EventJson(id));
        }
        builder.Append(']');
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(builder.ToString()));
        content.Headers.ContentType = Json;
        using var response = await api().PostAsync("/api/v1/events/batch", content);
        if (response.StatusCode != HttpStatusCode.Accepted)
            throw new InvalidOperationException($"Publishing a batch answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    private string NextId() => $"evt_bench_{_run}_{Interlocked.Increment(ref _sequence)}";

    /// <summary>About 400 bytes on the wire to the receiver once wrapped, like a small record change.</summary>
    private static string EventJson(string id) =>
        $$$"""{"id":"{{{id}}}","event":"TODO_DONE_STATUS_UPDATED","projectId":"{{{BenchApp.ProjectId}}}","actorId":"user_42","previousValue":{"id":"todo_123","title":"Draft proposal","done":false,"listId":"list_1"},"currentValue":{"id":"todo_123","title":"Draft proposal","done":true,"listId":"list_1"}}""";

    private static void InterlockedMax(ref long target, long value)
    {
        long current;
        while (value > (current = Interlocked.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current) { }
    }
}

public sealed record ThroughputSample(double DeliveriesPerSecond, long Delivered, long BacklogAtEnd, long MaxBacklog);
