using System.Diagnostics;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace WebhookAdmin.Hosting.Bench;

/// <summary>
/// The receiver the bench measures at: Kestrel on loopback in this process. <c>/ok/…</c> answers 200,
/// <c>/fail</c> 500, <c>/hang</c> never answers. Arrivals are counted, and for events the bench published
/// the publish-to-arrival latency is recorded.
/// </summary>
public sealed class BenchReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private long _arrivals;
    private long _okArrivals;

    private BenchReceiver(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = "";

    /// <summary>Publish times by event id, set by the publisher just before it sends.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, long>? PublishedAt { get; set; }

    /// <summary>Only arrivals on paths starting with this count into the latency figures.</summary>
    public string MeasuredPrefix { get; set; } = "/ok";

    public long Arrivals => Interlocked.Read(ref _arrivals);
    public long OkArrivals => Interlocked.Read(ref _okArrivals);
    public LatencyRecorder Latencies { get; } = new();

    public static async Task<BenchReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxConcurrentConnections = null);
        var app = builder.Build();
        var receiver = new BenchReceiver(app);
        app.Run(receiver.HandleAsync);
        await app.StartAsync();
        receiver.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return receiver;
    }

    public void ResetCounts()
    {
        Interlocked.Exchange(ref _arrivals, 0);
        Interlocked.Exchange(ref _okArrivals, 0);
        Latencies.Clear();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var arrived = Stopwatch.GetTimestamp();
        var path = context.Request.Path.Value ?? "";
        await context.Request.Body.CopyToAsync(Stream.Null);
        Interlocked.Increment(ref _arrivals);

        if (path.StartsWith("/hang", StringComparison.Ordinal))
        {
            try { await Task.Delay(Timeout.Infinite, context.RequestAborted); } catch (OperationCanceledException) { }
            return;
        }
        if (path.StartsWith("/fail", StringComparison.Ordinal))
        {
            context.Response.StatusCode = 500;
            return;
        }
        if (path.StartsWith(MeasuredPrefix, StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _okArrivals);
            var published = PublishedAt;
            string? eventId = context.Request.Headers["webhook-id"];
            if (published is not null && eventId is not null)
            {
                if (published.TryGetValue(eventId, out var sentAt)) Latencies.Add(Stopwatch.GetElapsedTime(sentAt, arrived).TotalMilliseconds);
            }
        }
        context.Response.StatusCode = 200;
    }

    public async Task<bool> WaitForOkAsync(long count, TimeSpan timeout)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (OkArrivals < count)
        {
            if (Stopwatch.GetTimestamp() > deadline) return false;
            await Task.Delay(2);
        }
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>Thread-safe list of latencies in milliseconds with percentile summaries.</summary>
public sealed class LatencyRecorder
{
    private readonly List<double> _values = [];

    public void Add(double milliseconds)
    {
        lock (_values) _values.Add(milliseconds);
    }

    public void Clear()
    {
        lock (_values) _values.Clear();
    }

    public double Minimum()
    {
        lock (_values) return _values.Count == 0 ? double.NaN : Math.Round(_values.Min(), 2);
    }

    public LatencySummary Summarize()
    {
        double[] sorted;
        lock (_values) sorted = [.. _values];
        Array.Sort(sorted);
        double At(double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
        return new LatencySummary(sorted.Length, Round(At(0.50)), Round(At(0.95)), Round(At(0.99)), Round(sorted.Length == 0 ? double.NaN : sorted[^1]));
    }

    private static double Round(double value) => Math.Round(value, 2);
}

public sealed record LatencySummary(int Count, double P50Ms, double P95Ms, double P99Ms, double MaxMs);
