using System.Net;
using Microsoft.EntityFrameworkCore;
using WebhookAdmin.Tests.Infrastructure;

namespace WebhookAdmin.Tests.Features.Deliveries.Retention;

/// <summary>
/// Retention on the real app and a fake clock (defaults: delivered and skipped 30 days, failed 90 days): exactly
/// the expired deliveries go, with their attempts and the events and revisions nothing needs any more.
/// </summary>
public sealed class RetentionTests : IAsyncLifetime
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private RetentionWorld _world = null!;

    public async ValueTask InitializeAsync() => _world = await RetentionWorld.StartAsync();

    public async ValueTask DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task Each_status_goes_exactly_when_its_period_has_passed_and_pending_and_held_deliveries_stay()
    {
        var ok = await _world.WebhookAsync("/ok", "TODO_CREATED", "TODO_DELETED");
        var retrying = await _world.WebhookAsync("/fail/retry", "TODO_CREATED");
        var paused = await _world.WebhookAsync("/ok/paused", "COMMENT_CREATED");
        var gone = await _world.WebhookAsync("/ok/gone", "TODO_MOVED");
        var tested = await _world.WebhookAsync("/fail/tested", "TODO_NAME_CHANGED");
        await _world.Admin.PostOk($"/api/v1/webhooks/{paused.Id}/disable", null);
        await _world.Admin.PostOk($"/api/v1/webhooks/{gone.Id}/disable", null);

        var shared = await _world.PublishAsync("TODO_CREATED");        // delivered to ok, pending (retrying) for retrying
        var deliveredOnly = await _world.PublishAsync("TODO_DELETED"); // delivered, nothing else
        var heldEvent = await _world.PublishAsync("COMMENT_CREATED");  // held
        var skippedEvent = await _world.PublishAsync("TODO_MOVED");    // held, then skipped by the delete below
        var unmatched = await _world.PublishAsync("TODO_TAG_ADDED");   // matched no webhook
        using (var deleted = await _world.Admin.DeleteAsync($"/api/v1/webhooks/{gone.Id}", TestContext.Current.CancellationToken))
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        var test = await _world.Admin.PostOk($"/api/v1/webhooks/{tested.Id}/test", new { @event = "TODO_CREATED" });
        Assert.False(test.GetProperty("ok").GetBoolean());

        var delivered = await _world.DeliveryOfAsync(ok.Id, shared);
        var deliveredAlone = await _world.DeliveryOfAsync(ok.Id, deliveredOnly);
        var pending = await _world.DeliveryOfAsync(retrying.Id, shared);
        var held = await _world.DeliveryOfAsync(paused.Id, heldEvent);
        var skipped = await _world.DeliveryOfAsync(gone.Id, skippedEvent);
        var failed = test.GetProperty("deliveryId").GetInt64();
        var failedEvent = (await _world.World.DeliveryAsync(failed)).Str("eventId");
        Assert.Equal(["delivered", "delivered", "pending", "held", "skipped", "failed"],
            await Task.WhenAll(new[] { delivered, deliveredAlone, pending, held, skipped, failed }.Select(async id => (await _world.World.DeliveryAsync(id)).Str("status"))));

        // A minute before 30 days: nothing of the log goes.
        var early = await _world.PurgeAtAsync(30 * Day - Minute);
        Assert.Equal((0, 0, 0), (early.Deliveries, early.Attempts, early.Events));

        // A minute after: delivered and skipped go with their attempts; the events with no delivery left go too.
        var month = await _world.PurgeAtAsync(30 * Day + Minute);
        Assert.Equal((3, 2), (month.Deliveries, month.Attempts));
        foreach (var id in new[] { delivered, deliveredAlone, skipped })
        {
            Assert.Equal(HttpStatusCode.NotFound, await _world.StatusOfDeliveryAsync(id));
            Assert.Equal(0, await _world.AttemptsOfAsync(id));
        }
        Assert.False(await _world.EventExistsAsync(deliveredOnly));
        Assert.False(await _world.EventExistsAsync(skippedEvent));
        Assert.False(await _world.EventExistsAsync(unmatched));
        Assert.True(await _world.EventExistsAsync(shared), "its pending delivery still needs it");
        Assert.Equal(HttpStatusCode.OK, await _world.StatusOfDeliveryAsync(failed));

        // After 90 days the failed one goes too; pending and held stay for as long as their webhooks exist.
        var quarter = await _world.PurgeAtAsync(90 * Day + Minute);
        Assert.Equal((1, 1), (quarter.Deliveries, quarter.Attempts));
        Assert.Equal(HttpStatusCode.NotFound, await _world.StatusOfDeliveryAsync(failed));
        Assert.False(await _world.EventExistsAsync(failedEvent));

        var later = await _world.PurgeAtAsync(400 * Day);
        Assert.Equal(0, later.Deliveries);
        Assert.Equal("pending", (await _world.World.DeliveryAsync(pending)).Str("status"));
        Assert.Equal(1, await _world.AttemptsOfAsync(pending));
        Assert.Equal("held", (await _world.World.DeliveryAsync(held)).Str("status"));
        Assert.True(await _world.EventExistsAsync(shared));
        Assert.True(await _world.EventExistsAsync(heldEvent));
    }

    [Fact]
    public async Task A_history_of_many_batches_goes_whole_and_a_newer_delivery_beside_it_stays()
    {
        var ok = await _world.WebhookAsync("/ok", "TODO_CREATED");
        const int old = 1500;
        // Written straight into the tables, 40 days back: more rows than any one batch takes.
        await _world.DbAsync(async db =>
        {
            for (var i = 0; i < old; i++)
            {
                var at = _world.Start.AddDays(-40).AddSeconds(i);
                db.Events.Add(new WebhookAdmin.Features.Events.EventRecord { Id = $"evt_old_{i}", Type = "TODO_CREATED", ProjectId = "p1", OccurredAt = at, ReceivedAt = at, DeliveryCount = 1 });
                var delivery = new WebhookAdmin.Features.Deliveries.Delivery
                {
                    WebhookId = ok.Id, EventId = $"evt_old_{i}", EventType = "TODO_CREATED", ProjectId = "p1",
                    Status = WebhookAdmin.Features.Deliveries.DeliveryStatus.Delivered, Attempts = 1, ScheduledAttempts = 1,
                    CreatedAt = at, DeliveredAt = at, LastAttemptAt = at,
                };
                db.Deliveries.Add(delivery);
                db.Attempts.Add(new WebhookAdmin.Features.Deliveries.DeliveryAttempt { Delivery = delivery, WebhookId = ok.Id, Number = 1, StartedAt = at, Succeeded = true, StatusCode = 200 });
            }
            return await db.SaveChangesAsync();
        });
        var recent = await _world.DeliveryOfAsync(ok.Id, await _world.PublishAsync("TODO_CREATED"));

        var purged = await _world.PurgeAtAsync(Day);

        Assert.Equal((old, old, old), (purged.Deliveries, purged.Attempts, purged.Events));
        Assert.True(purged.Batches > 2, $"{purged.Batches} batches");
        Assert.Equal(1, await _world.DbAsync(db => db.Deliveries.CountAsync()));
        Assert.Equal(HttpStatusCode.OK, await _world.StatusOfDeliveryAsync(recent));
    }

    [Fact]
    public async Task A_delivery_sent_again_by_hand_is_kept_a_whole_period_after_that_attempt()
    {
        var ok = await _world.WebhookAsync("/ok", "TODO_CREATED");
        var id = await _world.DeliveryOfAsync(ok.Id, await _world.PublishAsync("TODO_CREATED"));

        _world.World.AdvanceTo(_world.Start + 20 * Day);
        await _world.Admin.PostOk($"/api/v1/deliveries/{id}/resend", null, HttpStatusCode.Accepted);
        await _world.World.WaitForAttemptsAsync(id, 2);

        Assert.Equal(0, (await _world.PurgeAtAsync(30 * Day + Minute)).Deliveries);
        Assert.Equal(HttpStatusCode.OK, await _world.StatusOfDeliveryAsync(id));
        Assert.Equal(0, (await _world.PurgeAtAsync(50 * Day - Minute)).Deliveries);

        var purged = await _world.PurgeAtAsync(50 * Day + Minute);
        Assert.Equal((1, 2), (purged.Deliveries, purged.Attempts));
        Assert.Equal(HttpStatusCode.NotFound, await _world.StatusOfDeliveryAsync(id));
    }

    [Fact]
    public async Task A_failed_delivery_that_its_webhook_s_re_enable_would_send_again_is_kept_like_a_held_one()
    {
        var tested = await _world.WebhookAsync("/fail", "TODO_CREATED");
        var test = await _world.Admin.PostOk($"/api/v1/webhooks/{tested.Id}/test", new { @event = "TODO_CREATED" });
        var failed = test.GetProperty("deliveryId").GetInt64();
        // The test send answers before the recorder has stored its outcome: until then it is in flight, never purged.
        await _world.World.WaitForStatusAsync(failed, "failed");
        // As if it had failed into its webhook's disable (the engine's way there takes five attempts).
        await _world.DbAsync(db => db.Deliveries.Where(d => d.Id == failed).ExecuteUpdateAsync(u => u.SetProperty(d => d.AwaitsReplay, true)));

        Assert.Equal(0, (await _world.PurgeAtAsync(200 * Day)).Deliveries);
        Assert.Equal(HttpStatusCode.OK, await _world.StatusOfDeliveryAsync(failed));

        // Once its webhook is deleted nothing can replay it: it goes like any failed delivery.
        using (var deleted = await _world.Admin.DeleteAsync($"/api/v1/webhooks/{tested.Id}", TestContext.Current.CancellationToken))
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(1, (await _world.PurgeAtAsync(201 * Day)).Deliveries);
    }

    [Fact]
    public async Task A_kept_delivery_still_shows_the_exact_bodies_it_sent_and_only_revisions_nothing_points_at_go()
    {
        var kept = await _world.WebhookAsync("/fail/first", "TODO_CREATED");
        var edited = await _world.WebhookAsync("/ok/before", "TODO_DELETED");
        var pending = await _world.DeliveryOfAsync(kept.Id, await _world.PublishAsync("TODO_CREATED"));
        var delivered = await _world.DeliveryOfAsync(edited.Id, await _world.PublishAsync("TODO_DELETED"));
        var sent = Assert.Single(_world.Receiver.Requests, r => r.Path == "/fail/first");

        // Both webhooks change after their first attempt: each now has a second revision.
        _world.World.AdvanceTo(_world.Start + Minute);
        await _world.Admin.SendExpectAsync(HttpMethod.Patch, $"/api/v1/webhooks/{kept.Id}", new { url = _world.Receiver.UrlFor("/fail/second") }, HttpStatusCode.OK);
        await _world.Admin.SendExpectAsync(HttpMethod.Patch, $"/api/v1/webhooks/{edited.Id}", new { url = _world.Receiver.UrlFor("/ok/after") }, HttpStatusCode.OK);

        var purged = await _world.PurgeAtAsync(30 * Day + Minute);

        Assert.Equal(HttpStatusCode.NotFound, await _world.StatusOfDeliveryAsync(delivered));
        Assert.Equal([2], await _world.RevisionsOfAsync(edited.Id));
        Assert.Equal([1, 2], await _world.RevisionsOfAsync(kept.Id));
        Assert.Equal(1, purged.Revisions);
        var attempt = (await _world.World.DeliveryAsync(pending)).GetProperty("attemptLog")[0];
        Assert.Equal(sent.BodyText, attempt.Str("requestBody"));
        Assert.Contains("/fail/first", attempt.Str("requestBody"));
    }
}
