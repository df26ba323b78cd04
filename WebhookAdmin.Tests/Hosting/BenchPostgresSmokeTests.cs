using System.Text.Json;
using WebhookAdmin.Hosting.Bench;
using WebhookAdmin.Tests.Infrastructure;

namespace WebhookAdmin.Tests.Hosting;

/// <summary>
/// The bench on PostgreSQL, with tiny numbers: it runs and reports, whatever the speed. Only where a server is given
/// (<c>WEBHOOKADMIN_TEST_POSTGRES</c>, the postgres pass of <c>.ci/test</c>); skipped in the SQLite pass.
/// </summary>
[Collection(nameof(BenchSmokeTests))]
public sealed class BenchPostgresSmokeTests
{
    [Fact]
    public async Task The_bench_runs_every_scenario_on_postgres_with_two_instances_and_prints_one_json_object()
    {
        var root = await RunAsync("--database", "postgres", "--instances", "2");

        Assert.True(root.GetProperty("latency").GetProperty("allDelivered").GetBoolean());
        Assert.Equal(2, root.GetProperty("latency").GetProperty("instances").GetInt32());
        Assert.True(root.GetProperty("throughput").GetProperty("deliveriesPerSecond").GetDouble() > 0);
        Assert.True(root.GetProperty("drain").GetProperty("allDelivered").GetBoolean());
        Assert.Equal(4, root.GetProperty("logQuery").GetProperty("queries").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("retention").GetProperty("soakGrowthPercent").ValueKind);
        var ramp = root.GetProperty("ramp");
        Assert.Equal(2, ramp.GetProperty("instances").GetInt32());
        Assert.Equal("PostgreSQL", ramp.GetProperty("database").GetString());
        Assert.Equal(0, ramp.GetProperty("lost").GetInt64());
    }

    [Fact]
    public async Task The_database_comparison_reports_the_three_figures_of_one_baseline()
    {
        var root = await RunAsync("--compare-databases", "--compare-instances", "2");

        var comparison = root.GetProperty("comparison");
        Assert.Equal("SQLite", comparison.GetProperty("sqlite").GetProperty("database").GetString());
        Assert.Equal(2, comparison.GetProperty("postgresInstances").GetProperty("instances").GetInt32());
        Assert.All((string[])["sqlite", "postgres", "postgresInstances"], name =>
            Assert.Equal(comparison.GetProperty("baselinePerSecond").GetDouble(), comparison.GetProperty(name).GetProperty("baselinePerSecond").GetDouble()));
        var targets = root.GetProperty("targets").EnumerateArray().Select(t => t.GetProperty("name").GetString()!).ToList();
        Assert.Contains("postgres / sqlite, max sustained", targets);
        Assert.Contains("postgres × 2 / × 1, max sustained", targets);
        Assert.Contains(targets, t => t.StartsWith("postgres p50 at ", StringComparison.Ordinal));
    }

    private static async Task<JsonElement> RunAsync(params string[] args)
    {
        Assert.SkipUnless(PostgresTestDatabase.Server is not null, $"{PostgresTestDatabase.ServerVariable} is not set: no PostgreSQL server to bench on.");
        var output = new StringWriter();
        var exitCode = await BenchCommand.RunAsync(["--quick", "--json", "--postgres", PostgresTestDatabase.Server, .. args], output);

        Assert.Equal(0, exitCode);
        using var report = JsonDocument.Parse(output.ToString().Trim());
        return report.RootElement.Clone();
    }
}
