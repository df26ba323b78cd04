using System.Globalization;
using WebhookAdmin.Tests.Infrastructure;

namespace WebhookAdmin.Tests.Hosting.Cluster;

/// <summary>
/// An instance that dies mid-batch (contract, section 7): what it had claimed is sent by the others once its leases
/// expire, so a receiver may see a delivery twice, but only one of those; nothing is lost.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class InstanceKillTests
{
    private const int Webhooks = 6;
    private const int EventsPerInstance = 100;

    /// <summary>Rows being sent under a lease of the instance whose lease prefix is <c>@prefix</c>.</summary>
    private const string HeldBy = """FROM "Deliveries" WHERE "Status" = 'delivering' AND "LeaseOwner" LIKE @prefix""";

    /// <summary>Short, so that the victim's leases expire within the test: longer than an attempt, and than a wait in a lane.</summary>
    private static readonly Dictionary<string, string> ShortLeases = new()
    {
        ["Delivery__Timeout"] = "00:00:04",
        ["Delivery__LeaseDuration"] = "00:00:10",
        ["Delivery__RetryDelays__0"] = "00:00:01",
    };

    [Fact]
    public async Task An_instance_killed_mid_batch_leaves_its_claims_to_the_others_and_only_those_are_sent_twice()
    {
        ClusterCollection.RequirePostgres();
        await using var world = await ClusterWorld.StartAsync(ShortLeases);
        var instances = world.Cluster.Instances;
        for (var i = 0; i < Webhooks; i++)
            await world.CreateWebhookAsync(instances[i % instances.Count], $"hook{i}");
        var total = await world.WaitUntilEveryInstanceKnowsAsync();

        // A slow receiver keeps requests in flight, so the victim holds leases of deliveries it is sending.
        world.Receiver.Respond(ReceiverAnswer.Slow(TimeSpan.FromSeconds(1)));
        foreach (var stored in await Task.WhenAll(instances.Select(instance => instance.PublishBatchAsync(EventsPerInstance))))
            total += stored;
        // Mid-batch: the receiver holds requests of deliveries the victim is sending. The victim is whichever instance
        // is sending most: the shared per-webhook limit lets the first to claim keep the slots it frees, so which
        // instance that is varies from run to run (a fixed victim sometimes sent nothing at all).
        var busiest = await Eventually.ReturnsAsync(() => BusiestSenderAsync(world), busiest => busiest.Sending >= 4,
            "an instance to be sending", TimeSpan.FromSeconds(60));
        var victim = world[busiest.Name];
        var prefix = ("@prefix", (object?)(victim.LeasePrefix + "%"));
        var receivedBeforeKill = world.Receiver.Requests.Count;

        await victim.KillAsync();
        // Nobody else may take them before their leases expire: what the victim held is exactly this.
        var claimedByVictim = (await world.Cluster.Database.QueryAsync("""SELECT "Id" """ + HeldBy, prefix))
            .Select(row => Convert.ToString(row[0], CultureInfo.InvariantCulture)!).ToHashSet();
        world.Receiver.Respond(ReceiverAnswer.Ok);

        await world.WaitUntilAllDeliveredAsync(TimeSpan.FromMinutes(2));
        Assert.Equal(total, await world.Cluster.CountAsync("""SELECT count(*) FROM "Deliveries" """));
        Assert.Equal(total, world.Receiver.Requests.Select(r => r.Header("X-Webhook-Delivery")).Distinct().Count());

        var twice = world.DeliveredMoreThanOnce();
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{total} deliveries; {victim.Name} killed after the receiver had {receivedBeforeKill} requests, holding {claimedByVictim.Count} leases; " +
            $"sent twice: {twice.Count} ({string.Join(", ", twice.Keys.Order())})");
        Assert.All(twice, pair =>
        {
            Assert.Equal(2, pair.Value);
            Assert.Contains(pair.Key, claimedByVictim);
        });
        // What the victim had claimed was sent again by the others; every other delivery by its one attempt.
        Assert.Equal(0, await world.Cluster.CountAsync("""
            SELECT count(*) FROM "DeliveryAttempts"
            WHERE "Instance" = @victim AND "DeliveryId" IN (SELECT "DeliveryId" FROM "DeliveryAttempts" WHERE "Instance" <> @victim)
            """, ("@victim", victim.Name)));
        Assert.Equal(0, await world.Cluster.CountAsync("""
            SELECT count(*) FROM (SELECT "DeliveryId" FROM "DeliveryAttempts" GROUP BY "DeliveryId" HAVING count(*) > 1) AS twice
            """));
    }

    /// <summary>The instance with the most deliveries in flight that the receiver is holding, and how many.</summary>
    private static async Task<(string Name, int Sending)> BusiestSenderAsync(ClusterWorld world)
    {
        var received = world.Receiver.Requests.Select(r => long.Parse(r.Header("X-Webhook-Delivery"), CultureInfo.InvariantCulture)).ToArray();
        var rows = await world.Cluster.Database.QueryAsync("""
            SELECT split_part("LeaseOwner", ':', 1), count(*) FROM "Deliveries"
            WHERE "Status" = 'delivering' AND "Id" = ANY(@received)
            GROUP BY 1 ORDER BY 2 DESC LIMIT 1
            """, ("@received", received));
        return rows is [var row, ..] ? ((string)row[0]!, Convert.ToInt32(row[1], CultureInfo.InvariantCulture)) : ("", 0);
    }
}
