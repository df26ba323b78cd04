using System.Net;
using WebhookAdmin.Tests.Infrastructure;

namespace WebhookAdmin.Tests.Hosting.Cluster;

/// <summary>
/// What the cluster tests share: a cluster, a receiver, the organization (company <c>acme</c>, project
/// <see cref="DeliveryWorld.ProjectId"/>, the administrator a member) made through A, and the moves they make through
/// any instance: create webhooks, wait until every instance knows them, and read what the receiver got.
/// </summary>
public sealed class ClusterWorld : IAsyncDisposable
{
    private ClusterWorld(AppCluster cluster, TestReceiver receiver) => (Cluster, Receiver) = (cluster, receiver);

    public AppCluster Cluster { get; }
    public TestReceiver Receiver { get; }

    public ClusterInstance this[string name] => Cluster[name];

    /// <summary>A cluster as <see cref="AppCluster.StartAsync"/> starts it, a receiver, and the organization.</summary>
    public static async Task<ClusterWorld> StartAsync(
        IReadOnlyDictionary<string, string>? settings = null, bool together = false, TestDatabase? database = null)
    {
        var receiver = await TestReceiver.StartAsync();
        AppCluster cluster;
        try
        {
            cluster = await AppCluster.StartAsync(settings, together, database);
        }
        catch
        {
            await receiver.DisposeAsync();
            throw;
        }
        var world = new ClusterWorld(cluster, receiver);
        try
        {
            var admin = cluster["A"].Api;
            await admin.CompanyAsync("acme", "Acme");
            await admin.ProjectAsync(DeliveryWorld.ProjectId, "acme");
            await admin.MemberAsync(DeliveryWorld.ProjectId, TestApp.AdminEmail, "admin");
            return world;
        }
        catch
        {
            await world.DisposeAsync();
            throw;
        }
    }

    /// <summary>A webhook for every event of the project, created through <paramref name="through"/>; its receiver path is its name.</summary>
    public async Task<string> CreateWebhookAsync(ClusterInstance through, string name)
    {
        var created = await through.Api.PostOk("/api/v1/webhooks", new { url = Receiver.UrlFor("/" + name), name }, HttpStatusCode.Created);
        return created.Str("id");
    }

    /// <summary>
    /// Waits until an event published through each live instance fans out to every webhook there is (disabled ones
    /// too: theirs are stored held), so every instance knows them all. Answers the deliveries those probes stored, for
    /// the caller's total.
    /// </summary>
    public async Task<int> WaitUntilEveryInstanceKnowsAsync()
    {
        var webhooks = (await Cluster["A"].Api.GetOk("/api/v1/webhooks?take=1")).GetProperty("pageInfo").GetProperty("totalItems").GetInt32();
        var stored = 0;
        foreach (var instance in Cluster.Instances.Where(i => !i.Killed))
        {
            await Eventually.ReturnsAsync(async () =>
            {
                var (_, deliveries) = await instance.PublishAsync();
                stored += deliveries;
                return deliveries;
            }, deliveries => deliveries == webhooks, $"an event published through {instance.Name} to reach {webhooks} webhooks",
                TimeSpan.FromSeconds(30));
        }
        return stored;
    }

    /// <summary>Waits until no delivery is left to send.</summary>
    public Task WaitUntilAllDeliveredAsync(TimeSpan timeout) => Eventually.ReturnsAsync(
        () => Cluster.CountAsync("""SELECT count(*) FROM "Deliveries" WHERE "Status" <> 'delivered'"""),
        left => left == 0, "every delivery to be delivered", timeout);

    /// <summary>What reached the receiver at <c>/name</c>.</summary>
    public IEnumerable<ReceivedRequest> ReceivedBy(string name) => Receiver.Requests.Where(r => r.Path == "/" + name);

    /// <summary>The requests of each delivery (<c>X-Webhook-Delivery</c>) that reached the receiver more than once.</summary>
    public Dictionary<string, int> DeliveredMoreThanOnce() => Receiver.Requests
        .GroupBy(r => r.Header("X-Webhook-Delivery"))
        .Where(g => g.Count() > 1)
        .ToDictionary(g => g.Key, g => g.Count());

    public async ValueTask DisposeAsync()
    {
        // The receiver first: it lets go of requests it holds, so that no instance waits for them.
        await Receiver.DisposeAsync();
        await Cluster.DisposeAsync();
    }
}
