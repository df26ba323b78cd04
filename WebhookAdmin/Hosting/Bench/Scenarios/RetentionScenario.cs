using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using WebhookAdmin.Data;
using WebhookAdmin.Features.Deliveries.Outbox;

namespace WebhookAdmin.Hosting.Bench.Scenarios;

/// <summary>The database file at one moment of the soak: the file, its log, and how many of its pages are free.</summary>
public sealed record FileSample(double Seconds, long FileBytes, long LogBytes, long Pages, long FreePages);

public sealed record RetentionResult(
    int SeededAttempts, double SeedSeconds, LatencySummary Without, LatencySummary With, LatencySummary WithoutAfter, double? P99Ratio, bool AllDelivered,
    int PurgedDeliveries, int PurgedAttempts, int PurgedEvents, int Batches, double PurgeSeconds, double PurgeRowsPerSecond,
    bool PurgeOutlastedMeasurement, IReadOnlyList<FileSample> Soak, double? SoakGrowthPercent, string LoadAverage);

/// <summary>
/// Retention under load. First a history of <c>--retention-attempts</c> expired attempts (one per delivery) is seeded,
/// and the healthy-latency load runs without, then with, the purge of all of it running: the p99 with the purge
/// must stay within twice the p99 without. Then a soak on a fresh file with a retention of seconds, the purge on its
/// schedule, the same load: the file must stop growing once what is purged keeps up with what is written (SQLite
/// reuses the freed pages). On PostgreSQL the purge under load is measured and the soak is not: its figures are the
/// SQLite file's (pages, free list, write-ahead log), and the soak is left out (n/a) rather than given other meanings.
/// </summary>
public static class RetentionScenario
{
    public static async Task<RetentionResult> RunAsync(BenchOptions options)
    {
        var loadBefore = LoadAverage();
        var (seedSeconds, without, with, after, allDelivered, purge) = await PurgeUnderLoadAsync(options);
        var (soak, growth) = options.Database == DatabaseProvider.Sqlite ? await SoakAsync(options) : ([], null);
        // Against the better of the two runs without the purge (before it and after it): the harsher ratio. One of
        // them may have met the once-a-minute TRUNCATE checkpoint, which stalls every writer for the copy.
        var baseline = Math.Min(without.P99Ms, after.P99Ms);
        var ratio = baseline > 0 ? Math.Round(with.P99Ms / baseline, 2) : (double?)null;
        var rows = purge.Result.Deliveries + purge.Result.Attempts + purge.Result.Events;
        return new RetentionResult(options.RetentionAttempts, seedSeconds, without, with, after, ratio, allDelivered,
            purge.Result.Deliveries, purge.Result.Attempts, purge.Result.Events, purge.Result.Batches,
            Math.Round(purge.Result.Elapsed.TotalSeconds, 1), Math.Round(rows / Math.Max(0.001, purge.Result.Elapsed.TotalSeconds)),
            purge.Outlasted, soak, growth, $"{loadBefore} → {LoadAverage()}");
    }

    private static async Task<(double Seed, LatencySummary Without, LatencySummary With, LatencySummary After, bool AllDelivered, (PurgeResult Result, bool Outlasted) Purge)>
        PurgeUnderLoadAsync(BenchOptions options)
    {
        await using var receiver = await BenchReceiver.StartAsync();
        // The purge is started by hand here, at the moment the measurement starts; the schedule never fires.
        await using var app = await BenchApp.StartAsync(options, new Dictionary<string, string?>
        {
            ["Retention:Period"] = "1.00:00:00",
            ["Retention:FailedPeriod"] = "1.00:00:00",
            ["Retention:Interval"] = "1.00:00:00",
        });
        var webhooks = await app.CreateWebhooksAsync(Enumerable.Range(0, options.Webhooks).Select(i => $"{receiver.BaseUrl}/ok/{i}"));
        var seeding = Stopwatch.StartNew();
        // 40 days old: past every period. The seed's held deliveries belong to live webhooks and are kept.
        await LogQueryScenario.SeedAsync(app, webhooks, options.RetentionAttempts, TimeSpan.FromDays(40));
        var seedSeconds = Math.Round(seeding.Elapsed.TotalSeconds, 1);

        // The seed left a long log and a cold cache: settle both before anything is measured, or the run without the
        // purge measures the seed's checkpoint instead.
        await CheckpointAsync(app);
        receiver.PublishedAt = new();
        var publisher = new Publisher(app, receiver);
        await publisher.SteadyAsync(options.Rate, options.Warmup + options.Duration);
        await receiver.WaitForOkAsync(publisher.Published * options.Webhooks, TimeSpan.FromMinutes(2));

        var (without, completeWithout) = await MeasureAsync(publisher, receiver, options);
        var purging = Task.Run(() => app.Services.GetRequiredService<RetentionPurge>().RunAsync(CancellationToken.None));
        var (with, completeWith) = await MeasureAsync(publisher, receiver, options);
        var outlasted = !purging.IsCompleted;
        var result = await purging;
        var (after, completeAfter) = await MeasureAsync(publisher, receiver, options);
        return (seedSeconds, without, with, after, completeWithout && completeWith && completeAfter, (result, outlasted));
    }

    private static async Task CheckpointAsync(BenchApp app)
    {
        if (app.Database.Provider != DatabaseProvider.Sqlite) return;
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);");
    }

    private static async Task<(LatencySummary Latency, bool Complete)> MeasureAsync(Publisher publisher, BenchReceiver receiver, BenchOptions options)
    {
        receiver.ResetCounts();
        var events = await publisher.SteadyAsync(options.Rate, options.Duration);
        var complete = await receiver.WaitForOkAsync(events * options.Webhooks, TimeSpan.FromMinutes(2));
        return (receiver.Latencies.Summarize(), complete);
    }

    /// <summary>The steady state: retention of a fraction of the soak, the purge on its schedule, the file sampled as it goes.</summary>
    private static async Task<(IReadOnlyList<FileSample> Samples, double? GrowthPercent)> SoakAsync(BenchOptions options)
    {
        await using var receiver = await BenchReceiver.StartAsync();
        var keep = TimeSpan.FromSeconds(Math.Max(1, options.RetentionSoak.TotalSeconds / 6));
        await using var app = await BenchApp.StartAsync(options, new Dictionary<string, string?>
        {
            ["Retention:Period"] = keep.ToString("c", CultureInfo.InvariantCulture),
            ["Retention:FailedPeriod"] = keep.ToString("c", CultureInfo.InvariantCulture),
            ["Retention:Interval"] = TimeSpan.FromSeconds(Math.Max(1, keep.TotalSeconds / 4)).ToString("c", CultureInfo.InvariantCulture),
        });
        await app.CreateWebhooksAsync(Enumerable.Range(0, options.Webhooks).Select(i => $"{receiver.BaseUrl}/ok/{i}"));
        var publisher = new Publisher(app, receiver);

        var samples = new List<FileSample>();
        var clock = Stopwatch.StartNew();
        var every = TimeSpan.FromSeconds(Math.Max(1, options.RetentionSoak.TotalSeconds / 18));
        using var stop = new CancellationTokenSource(options.RetentionSoak);
        var load = publisher.SteadyAsync(options.Rate, options.RetentionSoak);
        while (!load.IsCompleted)
        {
            await Task.WhenAny(load, Task.Delay(every));
            samples.Add(await SampleAsync(app, clock.Elapsed));
        }
        await load;

        // Growth of the file over the second half: a file that has reached its steady state neither grows nor shrinks.
        // The log is left out: it is emptied into the file every second and truncated every minute, so it saws.
        var middle = samples[samples.Count / 2];
        var last = samples[^1];
        var growth = Math.Round(100.0 * (last.FileBytes - middle.FileBytes) / Math.Max(1, middle.FileBytes), 1);
        return (samples, growth);
    }

    private static async Task<FileSample> SampleAsync(BenchApp app, TimeSpan at)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT (SELECT page_count FROM pragma_page_count()), (SELECT freelist_count FROM pragma_freelist_count());";
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        var log = app.DatabasePath + "-wal";
        return new FileSample(Math.Round(at.TotalSeconds, 1), new FileInfo(app.DatabasePath).Length, File.Exists(log) ? new FileInfo(log).Length : 0,
            reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>The machine is shared: say how busy it was (Linux; elsewhere unknown).</summary>
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}
