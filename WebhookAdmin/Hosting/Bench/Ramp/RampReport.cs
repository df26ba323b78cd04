using System.Globalization;
using System.Text;

namespace WebhookAdmin.Hosting.Bench.Ramp;

/// <summary>The ramp's lines in the bench's table, and its targets (issue 10).</summary>
public static class RampReport
{
    public static IEnumerable<Target> Judge(RampResult r)
    {
        yield return new("ramp: max sustained / baseline", "≥ 30 %", $"{r.Ratio:P0} ({r.MaxSustainedPerSecond:N0}/s of {r.BaselinePerSecond:N0}/s)", r.Ratio >= 0.30);
        if (r.OverloadShareOfMax is { } share)
            yield return new("ramp: delivered under overload / max", "≥ 90 %", $"{share:P0} ({r.Overload!.DeliveredPerSecond:N0}/s)", share >= 0.90);
        if (r.DrainPerSecond is { } drain)
            yield return new("ramp: backlog drain after overload", "≥ max sustained", $"{drain:N0}/s", drain >= r.MaxSustainedPerSecond);
        yield return new($"ramp: p50 at {r.Latency.OfferedEventsPerSecond:N0} events/s", "≤ 3 ms", $"{r.Latency.P50Ms} ms", r.Latency.P50Ms <= 3);
        yield return new($"ramp: p99 at {r.Latency.OfferedEventsPerSecond:N0} events/s", "≤ 20 ms", $"{r.Latency.P99Ms} ms", r.Latency.P99Ms <= 20);
        yield return new("ramp: lost, repeated, bad signatures", "0, 0, 0", $"{r.Lost}, {r.Repeats}, {r.BadSignatures}", r.Lost == 0 && r.BadSignatures == 0);
        if (r.AppPeakWorkingSetMb is { } peak)
            yield return new("ramp: app's peak working set", "≤ 400 MB", $"{peak:N0} MB", peak <= 400);
    }

    public static void AppendTable(StringBuilder text, RampResult r)
    {
        var inv = CultureInfo.InvariantCulture;
        text.AppendLine(inv, $"ramp         app {r.Host} on {r.Database}{(r.Instances > 1 ? $", {r.Instances} instances, requests to each in turn" : "")}; {r.Webhooks} webhooks in {r.Groups} groups over {r.Projects} projects, " +
                             $"{r.EventsPerRequest} event(s) per request, {(r.OpenLoop ? "open" : "closed")} loop, signatures {(r.SignaturesVerified ? "verified" : "not verified")}");
        text.AppendLine(inv, $"             baseline (bare HTTP) {r.BaselinePerSecond:N0}/s; max sustained {r.MaxSustainedPerSecond:N0} deliveries/s = {r.Ratio:P1} of it");
        text.AppendLine("             rate offered (events/s × fan-out)  published/s  delivered/s  backlog at end   p50 / p99 ms   ingest p50   app CPU");
        foreach (var (name, stage) in Rows(r))
            text.AppendLine(inv, $"             {name,-9}{stage.OfferedEventsPerSecond,7:N0} × {r.Webhooks / r.Groups,-14}{stage.PublishedPerSecond,12:N0}{stage.DeliveredPerSecond,13:N0}" +
                                 $"{stage.BacklogAtEnd,16:N0}   {stage.P50Ms,6} / {stage.P99Ms,-8}{stage.IngestP50Ms,8} ms  {(stage.AppCpuPercentOfOneCore is { } cpu ? $"{cpu} %" : "–"),6}{(stage.Sustained ? "" : "  not sustained")}");
        if (r.OverloadShareOfMax is { } share)
            text.AppendLine(inv, $"             under overload it delivered {share:P0} of the max sustained; the backlog then drained at {r.DrainPerSecond:N0}/s");
        else text.AppendLine("             no stage was sustained: no overload stage");
        text.AppendLine(inv, $"             lost {r.Lost}, repeats {r.Repeats}, bad signatures {r.BadSignatures}");
    }

    private static IEnumerable<(string, RampStage)> Rows(RampResult r)
    {
        yield return ("latency", r.Latency);
        foreach (var stage in r.Stages) yield return ("ramp", stage);
        if (r.Overload is { } overload) yield return ("overload", overload);
    }
}
