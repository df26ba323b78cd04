using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using WebhookAdmin.Hosting.Bench.Scenarios;

namespace WebhookAdmin.Hosting.Bench;

public sealed record Target(string Name, string Goal, string Measured, bool? Met);

/// <summary>Everything one bench run measured, with the targets of issue #4 judged against it.</summary>
public sealed record BenchReport(
    string Machine, DateTime StartedAt, double TotalSeconds, BenchOptions Options,
    LatencyResult? Latency, ThroughputResult? Throughput, FanOutResult? FanOut, DrainResult? Drain,
    IsolationResult? Isolation, LogQueryResult? LogQuery, double PeakWorkingSetMb, IReadOnlyList<Target> Targets)
{
    public RetentionResult? Retention { get; init; }
    public Ramp.RampResult? Ramp { get; init; }
    public Ramp.RampComparison? Comparison { get; init; }

    public static string DescribeMachine() =>
        $"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}, " +
        $"{(Debugger.IsAttached ? "debugger" : "no debugger")}, {(typeof(BenchReport).Assembly.GetCustomAttributes(false).OfType<DebuggableAttribute>().Any(d => d.IsJITOptimizerDisabled) ? "Debug build" : "Release build")}";

    public static IReadOnlyList<Target> Judge(
        LatencyResult? latency, ThroughputResult? throughput, FanOutResult? fanOut, DrainResult? drain,
        IsolationResult? isolation, LogQueryResult? log, double peakMb, RetentionResult? retention = null, Ramp.RampResult? ramp = null)
    {
        var targets = new List<Target>();
        if (latency is not null)
        {
            targets.Add(new("latency p50", "≤ 3 ms", $"{latency.Delivery.P50Ms} ms", latency.AllDelivered && latency.Delivery.P50Ms <= 3));
            targets.Add(new("latency p99", "≤ 20 ms", $"{latency.Delivery.P99Ms} ms", latency.AllDelivered && latency.Delivery.P99Ms <= 20));
        }
        if (throughput is not null)
            targets.Add(new("throughput / baseline", "≥ 30 %", $"{throughput.Ratio:P0} ({throughput.DeliveriesPerSecond:N0}/s of {throughput.BaselinePerSecond:N0}/s)", throughput.Ratio >= 0.30));
        if (fanOut is not null)
            targets.Add(new($"fan-out to {fanOut.Webhooks}", "≤ 1 s", $"{fanOut.AllDeliveredMs:N0} ms", fanOut.AllDelivered && fanOut.AllDeliveredMs <= 1000));
        if (drain is not null)
            targets.Add(new($"drain {drain.Deliveries:N0}", "≥ 5,000/s", $"{drain.DeliveriesPerSecond:N0}/s", drain.AllDelivered && drain.DeliveriesPerSecond >= 5000));
        if (isolation is not null)
            targets.Add(new("healthy p99 with a hanging and a failing receiver", "≤ 2× undisturbed",
                $"{isolation.Healthy.P99Ms} ms ({(isolation.P99Ratio is { } r ? $"{r}×" : "no undisturbed run")})",
                isolation.P99Ratio is { } ratio ? ratio <= 2 && isolation.AllDelivered : null));
        targets.Add(new("peak working set", "≤ 400 MB", $"{peakMb:N0} MB", peakMb <= 400));
        if (log is not null)
            foreach (var q in log.Queries)
                targets.Add(new($"log: {q.Query}", "≤ 150 ms", $"{q.MedianMs} ms (first {q.FirstMs} ms)", q.MedianMs <= 150));
        if (retention is not null)
        {
            targets.Add(new($"healthy p99 while purging {retention.SeededAttempts:N0} attempts", "≤ 2× without",
                $"{retention.With.P99Ms} ms ({(retention.P99Ratio is { } r ? $"{r}×" : "no run without")})",
                retention.P99Ratio is { } ratio ? ratio <= 2 && retention.AllDelivered : null));
            targets.Add(new("file size under steady load, second half", "stops growing",
                retention.SoakGrowthPercent is { } growth ? $"{growth:+0.0;-0.0;0} %" : "n/a (SQLite's file)", retention.SoakGrowthPercent is { } g ? g <= 10 : null));
        }
        if (ramp is not null) targets.AddRange(Bench.Ramp.RampReport.Judge(ramp));
        return targets;
    }

    /// <summary>The server without its credentials; which scenarios ran on several instances.</summary>
    private static string DescribeDatabase(BenchOptions options)
    {
        if (options.CompareDatabases) return $"SQLite, then PostgreSQL at {Server(options.Postgres)} (× 1, × {options.CompareInstances}): a fresh one per ramp";
        if (options.Database == Data.DatabaseProvider.Sqlite) return "SQLite, a fresh file per scenario, one instance";
        var instances = options.Instances == 1 ? "one instance"
            : $"{options.Instances} instances in latency, isolation and ramp (events to each in turn); one in the others";
        return $"PostgreSQL at {Server(options.Postgres)}, a fresh database per scenario; {instances}";
    }

    private static string Server(string connection)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connection);
        return $"{builder.Host}:{builder.Port}";
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = false,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public string ToTable()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"WebhookAdmin bench · {Machine}");
        text.AppendLine(CultureInfo.InvariantCulture, $"started {StartedAt:yyyy-MM-dd HH:mm} UTC, took {TotalSeconds:N0} s");
        text.AppendLine(CultureInfo.InvariantCulture, $"database     {DescribeDatabase(Options)}");
        text.AppendLine();
        if (Latency is { } l)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"latency      {l.Rate} events/s × {l.Webhooks} webhooks, {l.Events:N0} events: p50 {l.Delivery.P50Ms} ms · p95 {l.Delivery.P95Ms} ms · p99 {l.Delivery.P99Ms} ms · max {l.Delivery.MaxMs} ms");
            text.AppendLine(CultureInfo.InvariantCulture, $"             ingestion (202) p50 {l.Ingest.P50Ms} ms · p99 {l.Ingest.P99Ms} ms · CPU {l.CpuMsPerEvent} ms per event (whole process){(l.AllDelivered ? "" : " · NOT ALL DELIVERED")}");
        }
        if (Throughput is { } t)
            text.AppendLine(CultureInfo.InvariantCulture, $"throughput   {t.DeliveriesPerSecond:N0} deliveries/s sustained (baseline {t.BaselinePerSecond:N0}/s, ratio {t.Ratio:P0}); " +
                            $"backlog ≤ {t.MaxBacklog:N0} (cap {t.BacklogCap:N0}); {t.AttemptsRecorded:N0} attempts recorded for {t.DeliveredRows:N0} delivered");
        if (FanOut is { } f)
            text.AppendLine(CultureInfo.InvariantCulture, $"fan-out      1 event → {f.Webhooks:N0} webhooks: first after {f.FirstDeliveredMs} ms, all after {f.AllDeliveredMs} ms");
        if (Drain is { } d)
            text.AppendLine(CultureInfo.InvariantCulture, $"drain        {d.Deliveries:N0} held deliveries released: {d.Seconds} s, {d.DeliveriesPerSecond:N0}/s");
        if (Isolation is { } i)
            text.AppendLine(CultureInfo.InvariantCulture, $"isolation    healthy p50 {i.Healthy.P50Ms} ms · p99 {i.Healthy.P99Ms} ms with one hanging and one failing receiver");
        if (LogQuery is { } q)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"log query    {q.Attempts:N0} attempts seeded in {q.SeedSeconds} s");
            foreach (var timing in q.Queries)
                text.AppendLine(CultureInfo.InvariantCulture, $"             {timing.Query}: median {timing.MedianMs} ms (first {timing.FirstMs} ms), {timing.TotalItems:N0} matching");
        }
        if (Retention is { } r)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"retention    {r.SeededAttempts:N0} expired attempts seeded in {r.SeedSeconds} s; healthy p99 {r.Without.P99Ms} ms before the purge, {r.With.P99Ms} ms while it runs, {r.WithoutAfter.P99Ms} ms after it ({r.P99Ratio}× the better one)");
            text.AppendLine(CultureInfo.InvariantCulture, $"             purged {r.PurgedDeliveries:N0} deliveries, {r.PurgedAttempts:N0} attempts, {r.PurgedEvents:N0} events in {r.PurgeSeconds} s ({r.PurgeRowsPerSecond:N0} rows/s, {r.Batches:N0} batches){(r.PurgeOutlastedMeasurement ? "" : "; finished before the measurement did")}");
            if (r.SoakGrowthPercent is null) text.AppendLine("             soak (file, free pages, log): n/a, these are the SQLite file's figures");
            else
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"             soak, file: {string.Join(" → ", r.Soak.Select(s => $"{s.FileBytes / 1048576.0:0}"))} MB; growth over the second half {r.SoakGrowthPercent} %");
                text.AppendLine(CultureInfo.InvariantCulture, $"             soak, free pages: {string.Join(" → ", r.Soak.Select(s => $"{s.FreePages:N0}"))}; log (MB): {string.Join(" → ", r.Soak.Select(s => $"{s.LogBytes / 1048576.0:0}"))}");
            }
            text.AppendLine(CultureInfo.InvariantCulture, $"             load average {r.LoadAverage}");
        }
        if (Ramp is { } ramp) Bench.Ramp.RampReport.AppendTable(text, ramp);
        if (Comparison is { } comparison) Bench.Ramp.RampComparison.AppendTable(text, comparison);
        text.AppendLine(CultureInfo.InvariantCulture, $"memory       peak working set {PeakWorkingSetMb:N0} MB (app, receiver and publisher in one process)");
        text.AppendLine();
        text.AppendLine("target                                            goal              measured                          met");
        foreach (var target in Targets)
            text.AppendLine(CultureInfo.InvariantCulture, $"{target.Name,-50}{target.Goal,-18}{target.Measured,-34}{(target.Met is null ? "–" : target.Met.Value ? "yes" : "NO")}");
        return text.ToString();
    }
}
