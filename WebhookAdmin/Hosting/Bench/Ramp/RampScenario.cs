using System.Diagnostics;
using WebhookAdmin.Hosting.Bench.Scenarios;

namespace WebhookAdmin.Hosting.Bench.Ramp;

/// <summary>One stage: a rate offered for a while, and what came of it.</summary>
public sealed record RampStage(
    double OfferedEventsPerSecond, double OfferedDeliveriesPerSecond, double PublishedPerSecond, double DeliveredPerSecond,
    long BacklogAtEnd, double P50Ms, double P99Ms, double IngestP50Ms, double? AppCpuPercentOfOneCore, bool Sustained);

public sealed record RampResult(
    string Host, int Webhooks, int Groups, int Projects, int EventsPerRequest, bool OpenLoop, bool SignaturesVerified,
    double BaselinePerSecond, RampStage Latency, IReadOnlyList<RampStage> Stages, double MaxSustainedPerSecond, double Ratio,
    RampStage? Overload, double? OverloadShareOfMax, double? DrainPerSecond, long Lost, long Repeats, long BadSignatures,
    double? AppPeakWorkingSetMb)
{
    public string Database { get; init; } = "SQLite";

    /// <summary>App instances on that database, each sent every n-th request.</summary>
    public int Instances { get; init; } = 1;
}

/// <summary>
/// The ramp (issue 10): the outside workload (<see cref="RampOptions"/>) at a rate rising stage by stage until a
/// stage is not sustained, then an overload stage at 1.5× the highest sustained rate, then the backlog it left
/// draining with nothing offered; the bare-HTTP baseline in the same run. A stage is sustained when the app
/// accepted ≥ 95 % of what was offered, delivered ≥ 95 % of what it accepted, and the backlog grew by at most 5 %
/// of the stage's deliveries.
/// </summary>
public sealed class RampScenario(RampOptions options, RampWorkload workload, RampReceiver receiver, RampTarget target)
{
    private const double Tolerance = 0.05;
    private static readonly TimeSpan QuietTimeout = TimeSpan.FromMinutes(2);

    /// <summary>The ramp; <paramref name="baseline"/> is one measured earlier in the same run (a comparison shares it).</summary>
    public static async Task<RampResult> RunAsync(BenchOptions bench, TextWriter log, double? baseline = null)
    {
        var options = bench.Ramp;
        baseline ??= await BaselineAsync(bench);
        await using var receiver = await RampReceiver.StartAsync(options.VerifySignatures);
        await using var target = await RampTarget.StartAsync(options, bench);
        using var workload = new RampWorkload(options, target, receiver);
        await workload.SetUpAsync();
        await target.StartOthersAsync();
        var scenario = new RampScenario(options, workload, receiver, target);
        return await scenario.RunAsync(baseline.Value, log) with { Database = target.Database, Instances = target.Instances };
    }

    /// <summary>Bare HTTP to a receiver of its own, at the bench's concurrency: the machine's ceiling in this run.</summary>
    public static async Task<double> BaselineAsync(BenchOptions bench)
    {
        await using var plain = await BenchReceiver.StartAsync();
        return await ThroughputScenario.BaselineAsync(plain, bench.Concurrency, TimeSpan.FromSeconds(bench.Ramp.StageDuration.TotalSeconds >= 5 ? 10 : 1));
    }

    private long Expected => workload.Accepted * options.Fanout;
    private long Backlog => Math.Max(0, Expected - receiver.Delivered);

    private async Task<RampResult> RunAsync(double baseline, TextWriter log)
    {
        await workload.PublishAsync(options.LatencyRate, options.LatencyWarmup);
        await QuietAsync();
        var latency = await StageAsync(options.LatencyRate, log, "latency");
        await QuietAsync();

        var stages = new List<RampStage>();
        var rate = (double)options.StartRate;
        for (var i = 0; i < options.MaxStages; i++)
        {
            var stage = await StageAsync(rate, log, "ramp");
            stages.Add(stage);
            if (!stage.Sustained) break;
            rate *= options.Step;
        }
        var best = stages.Where(s => s.Sustained).MaxBy(s => s.DeliveredPerSecond);
        await QuietAsync();

        RampStage? overload = null;
        double? drain = null;
        if (best is not null)
        {
            overload = await StageAsync(best.OfferedEventsPerSecond * options.Overload, log, "overload");
            drain = await DrainAsync();
        }
        await QuietAsync();
        var maximum = best?.DeliveredPerSecond ?? 0;
        return new RampResult(target.Description, options.Webhooks, options.Groups, options.Projects, options.EventsPerRequest, options.OpenLoop,
            options.VerifySignatures, Math.Round(baseline), latency, stages, maximum, baseline == 0 ? 0 : Math.Round(maximum / baseline, 3),
            overload, overload is null || maximum == 0 ? null : Math.Round(overload.DeliveredPerSecond / maximum, 3), drain,
            Lost: Backlog, receiver.Repeats, receiver.BadSignatures, target.PeakWorkingSetMb());
    }

    private async Task<RampStage> StageAsync(double rate, TextWriter log, string name)
    {
        var deliveredBefore = receiver.Delivered;
        var acceptedBefore = workload.Accepted;
        var backlogBefore = Backlog;
        receiver.Latencies.Clear();
        workload.IngestLatencies.Clear();
        var cpuBefore = target.Cpu();
        var clock = Stopwatch.StartNew();

        await workload.PublishAsync(rate, options.StageDuration);
        var seconds = clock.Elapsed.TotalSeconds;
        var accepted = workload.Accepted - acceptedBefore;
        var delivered = receiver.Delivered - deliveredBefore;
        var backlog = Backlog;
        var cpu = target.Cpu() is { } after && cpuBefore is { } before ? Math.Round((after - before).TotalSeconds / seconds * 100) : (double?)null;
        var offered = rate * options.StageDuration.TotalSeconds;
        var sustained = accepted >= offered * (1 - Tolerance)
                        && delivered >= accepted * options.Fanout * (1 - Tolerance)
                        && backlog - backlogBefore <= accepted * options.Fanout * Tolerance;
        var latencies = receiver.Latencies.Summarize();
        var stage = new RampStage(Math.Round(rate), Math.Round(rate * options.Fanout), Math.Round(accepted / seconds), Math.Round(delivered / seconds),
            backlog, latencies.P50Ms, latencies.P99Ms, workload.IngestLatencies.Summarize().P50Ms, cpu, sustained);
        log.WriteLine($"  {name,-8} {stage.OfferedEventsPerSecond,6:N0} ev/s → {stage.DeliveredPerSecond,7:N0} delivered/s, backlog {backlog,7:N0}, " +
                      $"p50 {stage.P50Ms} / p99 {stage.P99Ms} ms{(sustained ? "" : " · not sustained")}");
        return stage;
    }

    /// <summary>With nothing offered, how fast the backlog left by the overload stage goes out.</summary>
    private async Task<double?> DrainAsync()
    {
        var clock = Stopwatch.StartNew();
        var deliveredBefore = receiver.Delivered;
        if (Backlog == 0) return null;
        await QuietAsync();
        var seconds = clock.Elapsed.TotalSeconds;
        return Math.Round((receiver.Delivered - deliveredBefore) / seconds);
    }

    /// <summary>Until every answer came back and every accepted delivery arrived (or two minutes passed).</summary>
    private async Task QuietAsync()
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(QuietTimeout.TotalSeconds * Stopwatch.Frequency);
        while ((workload.Outstanding > 0 || Backlog > 0) && Stopwatch.GetTimestamp() < deadline)
            await Task.Delay(5);
    }
}
