using Microsoft.EntityFrameworkCore;
using WebhookAdmin.Data;
using WebhookAdmin.Features.Deliveries;
using WebhookAdmin.Features.Events;
using WebhookAdmin.Tests.Infrastructure;

namespace WebhookAdmin.Tests.Features.Deliveries.Retention;

/// <summary>
/// The purge is a scheduled job: nobody runs it by hand in production. On the real clock: a schedule of Quartz's
/// cannot be tested on a fake one held still (see <see cref="DeliveryWorld"/>'s settings), so the old deliveries are
/// written 40 days back instead of the clock being moved 40 days on.
/// </summary>
public sealed class RetentionJobTests
{
    [Fact]
    public async Task The_purge_runs_by_itself_every_retention_interval()
    {
        await using var world = await DeliveryWorld.StartAsync(WorldOptions.Default.With("Retention:Interval", "00:00:01"));
        var (webhookId, _) = await world.CreateWebhookAsync(world.Receiver.UrlFor());

        var first = await OldDeliveryAsync(world, webhookId, "evt_old_first");
        await Eventually.ReturnsAsync(() => ExistsAsync(world, first), exists => !exists, "the scheduled purge to remove the old delivery");

        // And again on the next runs, for what has expired since.
        var second = await OldDeliveryAsync(world, webhookId, "evt_old_second");
        await Eventually.ReturnsAsync(() => ExistsAsync(world, second), exists => !exists, "a later scheduled purge");
    }

    /// <summary>A delivered delivery with its event and attempt, written straight into the tables 40 days back.</summary>
    private static async Task<long> OldDeliveryAsync(DeliveryWorld world, string webhookId, string eventId)
    {
        var at = DateTime.UtcNow.AddDays(-40);
        await using var db = await DbAsync(world);
        db.Events.Add(new EventRecord { Id = eventId, Type = "TODO_CREATED", ProjectId = DeliveryWorld.ProjectId, OccurredAt = at, ReceivedAt = at, DeliveryCount = 1 });
        var delivery = new Delivery
        {
            WebhookId = webhookId, EventId = eventId, EventType = "TODO_CREATED", ProjectId = DeliveryWorld.ProjectId,
            Status = DeliveryStatus.Delivered, Attempts = 1, ScheduledAttempts = 1, CreatedAt = at, DeliveredAt = at, LastAttemptAt = at,
        };
        db.Deliveries.Add(delivery);
        db.Attempts.Add(new DeliveryAttempt { Delivery = delivery, WebhookId = webhookId, Number = 1, StartedAt = at, Succeeded = true, StatusCode = 200 });
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        return delivery.Id;
    }

    private static async Task<bool> ExistsAsync(DeliveryWorld world, long deliveryId)
    {
        await using var db = await DbAsync(world);
        return await db.Deliveries.AnyAsync(d => d.Id == deliveryId, TestContext.Current.CancellationToken);
    }

    private static Task<AppDbContext> DbAsync(DeliveryWorld world) =>
        world.App.Service<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
}
