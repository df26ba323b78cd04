using System.Diagnostics;
using WebhookAdmin.Hosting.Bench.Scenarios;

namespace WebhookAdmin.Hosting.Bench;

/// <summary>
/// <c>bench</c>: runs the real app (a fresh SQLite file or PostgreSQL database per scenario) against a receiver on
/// loopback, publishes through the ingestion API over HTTP and measures at the receiver. A tool, not a test.
/// </summary>
public static class BenchCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter? output = null)
    {
        output ??= Console.Out;
        if (args.Contains("--help"))
        {
            await output.WriteLineAsync(BenchOptions.Usage);
            return 0;
        }
        BenchOptions options;
        try
        {
            options = BenchOptions.Parse(args);
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            await Console.Error.WriteLineAsync($"bench: {e.Message}");
            return 2;
        }
        var log = options.Json ? TextWriter.Null : output;
        var started = DateTime.UtcNow;
        var clock = Stopwatch.StartNew();
        bool Wants(string scenario) => !options.CompareDatabases && options.Scenarios.Contains(scenario);

        LatencyResult? latency = null;
        ThroughputResult? throughput = null;
        FanOutResult? fanOut = null;
        DrainResult? drain = null;
        IsolationResult? isolation = null;
        LogQueryResult? logQuery = null;
        RetentionResult? retention = null;
        Ramp.RampResult? ramp = null;
        Ramp.RampComparison? comparison = null;

        if (options.ProcessWarmup > TimeSpan.Zero)
            await Step(log, $"warm-up ({options.ProcessWarmup.TotalSeconds:N0} s)", () => LatencyScenario.RunAsync(
                options with { Duration = options.ProcessWarmup, Warmup = TimeSpan.Zero, Rate = Math.Max(1, options.Rate / 2) }));
        // The comparison is the ramp three times, and nothing else: the three figures from one baseline.
        if (options.CompareDatabases)
            comparison = await Step(log, "database comparison", () => Ramp.RampComparison.RunAsync(options, log));
        if (Wants("latency")) latency = await Step(log, "latency", () => LatencyScenario.RunAsync(options));
        if (Wants("isolation")) isolation = await Step(log, "failure isolation", () => IsolationScenario.RunAsync(options, latency));
        if (Wants("throughput")) throughput = await Step(log, "throughput and baseline", () => ThroughputScenario.RunAsync(options));
        if (Wants("fanout")) fanOut = await Step(log, "fan-out", () => FanOutScenario.RunAsync(options));
        if (Wants("drain")) drain = await Step(log, "backlog drain", () => DrainScenario.RunAsync(options));
        if (Wants("log")) logQuery = await Step(log, "log query", () => LogQueryScenario.RunAsync(options));
        if (Wants("retention")) retention = await Step(log, "retention", () => RetentionScenario.RunAsync(options));
        if (Wants("ramp")) ramp = await Step(log, "ramp", () => Ramp.RampScenario.RunAsync(options, log));

        var peakMb = Math.Round(Process.GetCurrentProcess().PeakWorkingSet64 / 1024.0 / 1024.0);
        var targets = BenchReport.Judge(latency, throughput, fanOut, drain, isolation, logQuery, peakMb, retention, ramp);
        if (comparison is not null) targets = [.. targets, .. Ramp.RampComparison.Judge(comparison)];
        var report = new BenchReport(BenchReport.DescribeMachine(), started, Math.Round(clock.Elapsed.TotalSeconds, 1), options,
            latency, throughput, fanOut, drain, isolation, logQuery, peakMb, targets)
        { Retention = retention, Ramp = ramp, Comparison = comparison };

        await output.WriteLineAsync(options.Json ? report.ToJson() : report.ToTable());
        if (options.Chart is { } chart)
            await BenchChart.WriteAsync(report, chart, log);
        return 0;
    }

    private static async Task<T> Step<T>(TextWriter log, string name, Func<Task<T>> run)
    {
        log.Write($"running {name}… ");
        var clock = Stopwatch.StartNew();
        var result = await run();
        log.WriteLine($"{clock.Elapsed.TotalSeconds:N1} s");
        return result;
    }
}
