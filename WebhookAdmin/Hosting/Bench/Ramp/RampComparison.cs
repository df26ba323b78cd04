using System.Globalization;
using System.Text;
using WebhookAdmin.Data;

namespace WebhookAdmin.Hosting.Bench.Ramp;

/// <summary>
/// <c>--compare-databases</c> (issue 11): the ramp on SQLite with one instance, on PostgreSQL with one, and on
/// PostgreSQL with several, against one bare-HTTP baseline measured first; each on a fresh database. The p50 is the
/// latency stage of the PostgreSQL × 1 ramp (the app in its own process, as for the ramp's other figures).
/// </summary>
public sealed record RampComparison(double BaselinePerSecond, RampResult Sqlite, RampResult Postgres, RampResult PostgresInstances)
{
    /// <summary>PostgreSQL's maximum sustained rate over SQLite's, one instance each.</summary>
    public double? PostgresShareOfSqlite => Share(Postgres, Sqlite);

    /// <summary>Several instances' maximum sustained rate over one instance's, both on PostgreSQL.</summary>
    public double? InstancesShareOfOne => Share(PostgresInstances, Postgres);

    public static async Task<RampComparison> RunAsync(BenchOptions bench, TextWriter log)
    {
        var baseline = await RampScenario.BaselineAsync(bench);
        log.WriteLine($"  baseline {baseline:N0}/s");
        async Task<RampResult> Ramp(DatabaseProvider database, int instances)
        {
            log.WriteLine($"  {Name(database, instances)}");
            return await RampScenario.RunAsync(bench with { Database = database, Instances = instances }, log, baseline);
        }
        var sqlite = await Ramp(DatabaseProvider.Sqlite, 1);
        var postgres = await Ramp(DatabaseProvider.Postgres, 1);
        var several = await Ramp(DatabaseProvider.Postgres, bench.CompareInstances);
        return new RampComparison(Math.Round(baseline), sqlite, postgres, several);
    }

    public static IEnumerable<Target> Judge(RampComparison c)
    {
        yield return new("postgres / sqlite, max sustained", "≥ 50 %", Measured(c.PostgresShareOfSqlite, c.Postgres, c.Sqlite), c.PostgresShareOfSqlite is { } p ? p >= 0.50 : null);
        yield return new($"postgres × {c.PostgresInstances.Instances} / × 1, max sustained", "≥ 90 %",
            Measured(c.InstancesShareOfOne, c.PostgresInstances, c.Postgres), c.InstancesShareOfOne is { } i ? i >= 0.90 : null);
        var latency = c.Postgres.Latency;
        yield return new($"postgres p50 at {latency.OfferedEventsPerSecond:N0} events/s × {c.Postgres.Webhooks / c.Postgres.Groups}", "≤ 5 ms",
            $"{latency.P50Ms} ms (p99 {latency.P99Ms} ms)", latency.P50Ms <= 5);
        RampResult[] all = [c.Sqlite, c.Postgres, c.PostgresInstances];
        yield return new("compare: lost, repeated, bad signatures", "0, 0, 0", $"{all.Sum(r => r.Lost)}, {all.Sum(r => r.Repeats)}, {all.Sum(r => r.BadSignatures)}",
            all.All(r => r.Lost == 0 && r.BadSignatures == 0));
    }

    /// <summary>One line per ramp, then each ramp's own table.</summary>
    public static void AppendTable(StringBuilder text, RampComparison c)
    {
        var inv = CultureInfo.InvariantCulture;
        text.AppendLine(inv, $"databases    the ramp three times against one baseline (bare HTTP) of {c.BaselinePerSecond:N0}/s");
        foreach (var r in new[] { c.Sqlite, c.Postgres, c.PostgresInstances })
            text.AppendLine(inv, $"             {Name(r),-16} max sustained {r.MaxSustainedPerSecond,7:N0} deliveries/s ({r.Ratio:P1} of the baseline); " +
                                 $"p50 / p99 at {r.Latency.OfferedEventsPerSecond:N0} events/s {r.Latency.P50Ms} / {r.Latency.P99Ms} ms");
        text.AppendLine(inv, $"             postgres / sqlite {Percent(c.PostgresShareOfSqlite)}; × {c.PostgresInstances.Instances} / × 1 {Percent(c.InstancesShareOfOne)}");
        foreach (var r in new[] { c.Sqlite, c.Postgres, c.PostgresInstances }) RampReport.AppendTable(text, r);
    }

    private static double? Share(RampResult part, RampResult whole) =>
        whole.MaxSustainedPerSecond > 0 ? Math.Round(part.MaxSustainedPerSecond / whole.MaxSustainedPerSecond, 3) : null;

    private static string Measured(double? share, RampResult part, RampResult whole) =>
        share is { } s ? $"{s:P0} ({part.MaxSustainedPerSecond:N0}/s of {whole.MaxSustainedPerSecond:N0}/s)" : $"n/a: {Name(whole)} sustained no stage";

    private static string Percent(double? share) => share is { } s ? s.ToString("P0", CultureInfo.InvariantCulture) : "n/a";

    private static string Name(RampResult r) => $"{r.Database} × {r.Instances}";

    private static string Name(DatabaseProvider database, int instances) =>
        $"{(database == DatabaseProvider.Postgres ? "PostgreSQL" : "SQLite")} × {instances}";
}
