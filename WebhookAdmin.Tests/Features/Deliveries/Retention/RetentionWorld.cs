using System.Net;
using Microsoft.EntityFrameworkCore;
using WebhookAdmin.Data;
using WebhookAdmin.Features.Deliveries.Outbox;
using WebhookAdmin.Tests.Infrastructure;

namespace WebhookAdmin.Tests.Features.Deliveries.Retention;

/// <summary>
/// A <see cref="DeliveryWorld"/> on a fake clock whose retries are far away (a failed attempt leaves its delivery
/// pending for years), with the purge run by hand and helpers that read the rows retention deletes.
/// </summary>
public sealed class RetentionWorld : IAsyncDisposable
{
    private RetentionWorld(DeliveryWorld world, TestReceiver receiver, DateTime start)
    {
        World = world;
        Receiver = receiver;
        Start = start;
    }

    public DeliveryWorld World { get; }
    public TestReceiver Receiver { get; }
    public HttpClient Admin => World.Admin;

    /// <summary>The fake clock's time when the world started: every age in the tests counts from it.</summary>
    public DateTime Start { get; }

    /// <summary>
    /// On a fake clock, whose world pushes the scheduled purge out of reach: only <see cref="PurgeAtAsync"/> purges.
    /// (With a day's interval the job fired when a test moved the clock by days, and took the test's rows first.)
    /// </summary>
    public static async Task<RetentionWorld> StartAsync()
    {
        var receiver = await TestReceiver.StartAsync();
        // Paths under /fail answer 500, everything else 200.
        receiver.Respond(r => r.Path.StartsWith("/fail", StringComparison.Ordinal) ? ReceiverAnswer.Fail(500) : ReceiverAnswer.Ok);
        var world = await DeliveryWorld.StartAsync((WorldOptions.FakeClockNoPoll with { Receiver = receiver })
            .With("Delivery:RetryDelays:0", "1000.00:00:00"));
        return new RetentionWorld(world, receiver, world.Time.GetUtcNow().UtcDateTime);
    }

    public Task<(string Id, string Secret)> WebhookAsync(string path, params string[] events) =>
        World.CreateWebhookAsync(Receiver.UrlFor(path), events);

    /// <summary>Publishes and waits until each of its deliveries is at rest (sent once, held or pending without an attempt in flight).</summary>
    public async Task<string> PublishAsync(string eventType, int attempts = 1)
    {
        var eventId = await World.PublishAsync(eventType);
        foreach (var id in await DeliveryIdsOfAsync(eventId))
        {
            var delivery = await World.DeliveryAsync(id);
            if (delivery.Str("status") is "held") continue;
            await World.WaitForAttemptsAsync(id, attempts);
        }
        return eventId;
    }

    public async Task<long> DeliveryOfAsync(string webhookId, string eventId) =>
        (await World.DeliveryAsync(webhookId, eventId)).GetProperty("id").GetInt64();

    public async Task<List<long>> DeliveryIdsOfAsync(string eventId)
    {
        var page = await Admin.GetOk($"/api/v1/deliveries?eventId={eventId}&take=200");
        return page.GetProperty("items").EnumerateArray().Select(d => d.GetProperty("id").GetInt64()).ToList();
    }

    /// <summary>Moves the clock to <paramref name="age"/> after <see cref="Start"/> and runs one purge.</summary>
    public Task<PurgeResult> PurgeAtAsync(TimeSpan age)
    {
        World.AdvanceTo(Start + age);
        return World.App.Service<RetentionPurge>().RunAsync(TestContext.Current.CancellationToken);
    }

    public async Task<HttpStatusCode> StatusOfDeliveryAsync(long id)
    {
        using var response = await Admin.GetAsync($"/api/v1/deliveries/{id}", TestContext.Current.CancellationToken);
        return response.StatusCode;
    }

    public async Task<T> DbAsync<T>(Func<AppDbContext, Task<T>> query)
    {
        await using var db = await World.App.Service<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
        return await query(db);
    }

    public Task<bool> EventExistsAsync(string eventId) => DbAsync(db => db.Events.AnyAsync(e => e.Id == eventId));

    public Task<int> AttemptsOfAsync(long deliveryId) => DbAsync(db => db.Attempts.CountAsync(a => a.DeliveryId == deliveryId));

    public Task<List<int>> RevisionsOfAsync(string webhookId) =>
        DbAsync(db => db.WebhookRevisions.Where(r => r.WebhookId == webhookId).OrderBy(r => r.Revision).Select(r => r.Revision).ToListAsync());

    public async ValueTask DisposeAsync()
    {
        await World.DisposeAsync();
        await Receiver.DisposeAsync();
    }
}
