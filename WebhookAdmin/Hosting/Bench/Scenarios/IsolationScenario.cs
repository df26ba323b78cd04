namespace WebhookAdmin.Hosting.Bench.Scenarios;

public sealed record IsolationResult(LatencySummary Healthy, double? UndisturbedP99Ms, double? P99Ratio, bool AllDelivered);

/// <summary>
/// The latency run again, with one more webhook whose receiver hangs for the whole timeout and one whose
/// receiver answers 500: the healthy webhooks' p99 must not suffer.
/// </summary>
public static class IsolationScenario
{
    public static async Task<IsolationResult> RunAsync(BenchOptions options, LatencyResult? undisturbed)
    {
        var disturbed = await LatencyScenario.RunAsync(options, ["/hang", "/fail"]);
        var baseline = undisturbed?.Delivery.P99Ms;
        return new IsolationResult(disturbed.Delivery, baseline,
            baseline is > 0 ? Math.Round(disturbed.Delivery.P99Ms / baseline.Value, 2) : null, disturbed.AllDelivered);
    }
}
