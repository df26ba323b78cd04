using System.Text.Json;
using WebhookAdmin.Hosting.Bench;

namespace WebhookAdmin.Tests.Hosting;

/// <summary>The bench is a tool, not a test: this only proves it runs every scenario end to end with tiny numbers.</summary>
// SQLite-only: this is the default bench, on SQLite files; BenchPostgresSmokeTests is the postgres pass's.
[Trait("Category", "SqliteOnly")]
[Collection(nameof(BenchSmokeTests))]
public sealed class BenchSmokeTests
{
    [Fact]
    public async Task The_bench_runs_every_scenario_with_tiny_numbers_and_prints_one_json_object()
    {
        var output = new StringWriter();
        var exitCode = await BenchCommand.RunAsync(["--quick", "--json"], output);

        Assert.Equal(0, exitCode);
        using var report = JsonDocument.Parse(output.ToString().Trim());
        var root = report.RootElement;
        Assert.True(root.GetProperty("latency").GetProperty("allDelivered").GetBoolean());
        Assert.True(root.GetProperty("latency").GetProperty("delivery").GetProperty("count").GetInt32() > 0);
        Assert.True(root.GetProperty("throughput").GetProperty("deliveriesPerSecond").GetDouble() > 0);
        Assert.Equal(root.GetProperty("throughput").GetProperty("deliveredRows").GetInt64(),
            root.GetProperty("throughput").GetProperty("attemptsRecorded").GetInt64());
        Assert.True(root.GetProperty("fanOut").GetProperty("allDelivered").GetBoolean());
        Assert.True(root.GetProperty("drain").GetProperty("allDelivered").GetBoolean());
        Assert.True(root.GetProperty("isolation").GetProperty("allDelivered").GetBoolean());
        Assert.Equal(4, root.GetProperty("logQuery").GetProperty("queries").GetArrayLength());
        Assert.NotEmpty(root.GetProperty("targets").EnumerateArray());
    }
}

/// <summary>The bench loads the machine on purpose: it runs alone.</summary>
[CollectionDefinition(nameof(BenchSmokeTests), DisableParallelization = true)]
public sealed class BenchSmokeCollection;
