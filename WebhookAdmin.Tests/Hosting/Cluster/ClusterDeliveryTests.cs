using System.Diagnostics;

namespace WebhookAdmin.Tests.Hosting.Cluster;

/// <summary>
/// Three instances drain one outbox (contract, section 7): every delivery is sent, and each by one instance only,
/// whichever instance the event was published through.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterDeliveryTests
{
    private const int Webhooks = 8;
    private const int EventsPerBatch = 250;
    private const int Batches = 10;
    private const int Deliveries = Webhooks * EventsPerBatch * Batches;

    [Fact]
    public async Task Twenty_thousand_deliveries_published_through_three_instances_are_each_delivered_once_by_one_instance()
    {
        ClusterCollection.RequirePostgres();
        Assert.Equal(20_000, Deliveries);
        await using var world = await ClusterWorld.StartAsync();
        var instances = world.Cluster.Instances;
        for (var i = 0; i < Webhooks; i++)
            await world.CreateWebhookAsync(instances[i % instances.Count], $"hook{i}");
        var probes = await world.WaitUntilEveryInstanceKnowsAsync();

        // The batches go round the instances, one stream per instance, so all three publish while all three drain.
        var clock = Stopwatch.StartNew();
        var stored = await Task.WhenAll(instances.Select(async (instance, index) =>
        {
            var sum = 0;
            for (var batch = index; batch < Batches; batch += instances.Count)
                sum += await instance.PublishBatchAsync(EventsPerBatch);
            return sum;
        }));
        var published = clock.Elapsed;
        Assert.Equal(Deliveries, stored.Sum());
        var total = Deliveries + probes;

        await world.Receiver.WaitForAsync(total, TimeSpan.FromMinutes(3));
        var received = clock.Elapsed;
        await world.WaitUntilAllDeliveredAsync(TimeSpan.FromMinutes(1));

        Assert.Empty(world.DeliveredMoreThanOnce());
        Assert.Equal(total, world.Receiver.Requests.Count);
        Assert.Equal(total, await world.Cluster.CountAsync("""SELECT count(*) FROM "Deliveries" """));
        // Every answer was a 200: one attempt per delivery, by one instance.
        Assert.Equal(total, await world.Cluster.CountAsync("""SELECT count(*) FROM "DeliveryAttempts" """));
        Assert.Equal(0, await world.Cluster.CountAsync("""
            SELECT count(*) FROM (
              SELECT "DeliveryId" FROM "DeliveryAttempts" GROUP BY "DeliveryId"
              HAVING count(*) > 1 OR count(DISTINCT "Instance") > 1) AS twice
            """));

        var byInstance = (await world.Cluster.Database.QueryAsync(
                """SELECT "Instance", count(*) FROM "DeliveryAttempts" GROUP BY "Instance" ORDER BY "Instance" """))
            .ToDictionary(row => (string)row[0]!, row => Convert.ToInt64(row[1], System.Globalization.CultureInfo.InvariantCulture));
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{total} deliveries ({probes} of them probes): published in {published.TotalSeconds:F1} s, all received after " +
            $"{received.TotalSeconds:F1} s; attempts by instance: {string.Join(", ", byInstance.Select(p => $"{p.Key} {p.Value}"))}");
        Assert.True(byInstance.Count > 1, $"Only {string.Join(", ", byInstance.Keys)} made attempts: the instances did not share the work.");
        Assert.All(byInstance.Keys, name => Assert.Contains(name, AppCluster.Names));
    }
}
