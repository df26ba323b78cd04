using System.Text.Json;
using Npgsql;
using WebhookAdmin.Features.Deliveries.Outbox;
using WebhookAdmin.Tests.Infrastructure;

namespace WebhookAdmin.Tests.Features.Deliveries;

/// <summary>
/// One instance on a PostgreSQL database that others share (ADR-020), with the others played by SQL behind its back:
/// rows they have in flight count against a webhook's limit, rows their claims lock are passed over, and what they
/// say on the notification channel reaches this one (and what it commits reaches them). The multi-instance tests
/// with real processes are in <c>Hosting/Cluster</c>.
/// </summary>
public sealed class SharedDatabaseTests() : WorldTests(options: null)
{
    private const string OtherInstance = "other-host:1:abcdef01/1";

    private static void OnPostgresOnly() =>
        Assert.SkipUnless(TestDatabase.OnPostgres, "Instances share a database only on PostgreSQL (WEBHOOKADMIN_TEST_POSTGRES).");

    [Fact]
    public async Task Deliveries_another_instance_has_in_flight_count_against_the_webhook_s_limit()
    {
        OnPostgresOnly();
        var world = await StartWorldAsync(WorldOptions.Default.With("Delivery:MaxConcurrencyPerWebhook", "2"));
        var (webhookId, _) = await world.CreateWebhookAsync(Receiver.UrlFor());
        var sent = new List<long>();
        for (var i = 0; i < 2; i++) sent.Add(await DeliveredAsync(world, webhookId));
        // The other instance holds two deliveries of this webhook: the limit is reached.
        foreach (var id in sent) await InFlightElsewhereAsync(world, id);
        Receiver.Respond(ReceiverAnswer.Hanging);

        var first = await PendingIdAsync(world, webhookId, await world.PublishAsync());
        var second = await PendingIdAsync(world, webhookId, await world.PublishAsync());
        await world.RunDrainAsync();
        Assert.Equal("pending", (await world.DeliveryAsync(first)).Str("status"));
        Assert.Equal("pending", (await world.DeliveryAsync(second)).Str("status"));
        Assert.Equal(2, Receiver.Requests.Count);

        // One of them finishes there: room for exactly one here.
        await world.App.Database.ExecuteAsync("""
            UPDATE "Deliveries" SET "Status" = 'delivered', "LeaseOwner" = NULL, "LeaseExpiresAt" = NULL, "NextAttemptAt" = NULL
            WHERE "Id" = @id
            """, ("@id", sent[0]));
        await world.RunDrainAsync();
        await Receiver.WaitForAsync(3);
        await world.RunDrainAsync();
        Assert.Equal(3, Receiver.Requests.Count);
        var statuses = new[] { (await world.DeliveryAsync(first)).Str("status"), (await world.DeliveryAsync(second)).Str("status") };
        Assert.Equal(["delivering", "pending"], statuses.Order());
    }

    [Fact]
    public async Task A_claim_passes_over_a_row_another_instance_s_claim_has_locked_and_takes_it_once_free()
    {
        OnPostgresOnly();
        var world = await StartWorldAsync(WorldOptions.FakeClockNoPoll);
        var (webhookId, _) = await world.CreateWebhookAsync(Receiver.UrlFor());
        Receiver.Respond(ReceiverAnswer.Fail(500));
        var locked = await FailedOnceAsync(world, webhookId);
        var free = await FailedOnceAsync(world, webhookId);
        Receiver.Respond(ReceiverAnswer.Ok);

        await using (var other = (NpgsqlConnection)await world.App.Database.OpenAsync())
        await using (var claim = await other.BeginTransactionAsync(TestContext.Current.CancellationToken))
        {
            await using (var lockRow = new NpgsqlCommand("""SELECT "Id" FROM "Deliveries" WHERE "Id" = @id FOR UPDATE""", other, claim))
            {
                lockRow.Parameters.AddWithValue("id", locked);
                await lockRow.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
            }
            // Both retries fall due; the drain run finishes without waiting for the lock, having sent only the free one.
            world.AdvanceTo(DeliveryWorld.Date(await world.DeliveryAsync(free), "nextAttemptAt").AddMinutes(1));
            await world.RunDrainAsync();
            await world.WaitForStatusAsync(free, "delivered");
            Assert.Equal("pending", (await world.DeliveryAsync(locked)).Str("status"));
            await claim.RollbackAsync(TestContext.Current.CancellationToken);
        }

        await world.RunDrainAsync();
        await world.WaitForStatusAsync(locked, "delivered");
    }

    [Fact]
    public async Task What_this_instance_commits_is_said_on_the_channel_for_the_others()
    {
        OnPostgresOnly();
        // Without claims at insert: a delivery this instance stored claimed is its own to send, and nothing is said
        // for it; stored pending, it is due for every instance.
        var world = await StartWorldAsync(WorldOptions.Default.With("Delivery:ClaimAtInsert", "false"));
        await using var listener = (NpgsqlConnection)await world.App.Database.OpenAsync();
        var heard = new List<JsonElement>();
        listener.Notification += (_, e) =>
        {
            lock (heard) heard.Add(JsonDocument.Parse(e.Payload).RootElement.Clone());
        };
        await using (var listen = new NpgsqlCommand("LISTEN webhookadmin", listener))
            await listen.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);

        var (webhookId, _) = await world.CreateWebhookAsync(Receiver.UrlFor());
        await world.PublishAsync();
        await world.Admin.PostOk($"/api/v1/webhooks/{webhookId}/disable", null);

        await Eventually.ReturnsAsync(async () =>
        {
            await listener.WaitAsync(TimeSpan.FromMilliseconds(200), TestContext.Current.CancellationToken);
            lock (heard) return heard.ToList();
        }, messages => messages.Any(m => m.GetProperty("subscriptions").GetBoolean())
                       && messages.Any(m => m.GetProperty("dueNow").GetBoolean())
                       && messages.Any(m => m.GetProperty("closed").EnumerateArray().Any(id => id.GetString() == webhookId)),
            "the webhook's creation, the event and the disable to be said on the channel");
        lock (heard) Assert.All(heard, m => Assert.Equal(world.App.Service<OutboxInstance>().Id, m.GetProperty("from").GetString()));
    }

    [Fact]
    public async Task Due_work_and_subscription_changes_another_instance_announces_are_acted_on_here()
    {
        OnPostgresOnly();
        var world = await StartWorldAsync(WorldOptions.FakeClockNoPoll);
        var (webhookId, _) = await world.CreateWebhookAsync(Receiver.UrlFor(), "TODO_CREATED");
        await DeliveredAsync(world, webhookId);

        // Another instance changed the webhook's events: unseen here until it says so.
        await world.App.Database.ExecuteAsync("""UPDATE "Webhooks" SET "Events" = ARRAY['TODO_DELETED'] WHERE "Id" = @id""", ("@id", webhookId));
        await SayAsync(world, subscriptions: true, dueNow: false);
        await Eventually.ReturnsAsync(async () => (await world.Admin.PostOk("/api/v1/events",
                new { @event = "TODO_DELETED", projectId = DeliveryWorld.ProjectId }, System.Net.HttpStatusCode.Accepted)).GetProperty("deliveries").GetInt32(),
            deliveries => deliveries == 1, "an event of the new type to find the webhook");

        // Another instance made a delivery due (a replay, a lease it took back): this drain wakes for it when told.
        var replayed = await DeliveredAsync(world, webhookId, "TODO_DELETED");
        await world.App.Database.ExecuteAsync("""
            UPDATE "Deliveries" SET "Status" = 'pending', "NextAttemptAt" = @now WHERE "Id" = @id
            """, ("@now", world.Time.GetUtcNow().UtcDateTime), ("@id", replayed));
        await SayAsync(world, subscriptions: false, dueNow: true);
        await world.WaitForAttemptsAsync(replayed, 2);
    }

    private static async Task SayAsync(DeliveryWorld world, bool subscriptions, bool dueNow)
    {
        var message = JsonSerializer.Serialize(new { from = OtherInstance, subscriptions, dueNow, dueAt = (DateTime?)null, closed = Array.Empty<string>(), opened = Array.Empty<string>() });
        await world.App.Database.ExecuteAsync("SELECT pg_notify('webhookadmin', @message)", ("@message", message));
    }

    private static async Task<long> DeliveredAsync(DeliveryWorld world, string webhookId, string eventType = "TODO_CREATED")
    {
        var id = (await world.DeliveryAsync(webhookId, await world.PublishAsync(eventType))).GetProperty("id").GetInt64();
        await world.WaitForStatusAsync(id, "delivered");
        return id;
    }

    private static async Task<long> FailedOnceAsync(DeliveryWorld world, string webhookId)
    {
        var id = (await world.DeliveryAsync(webhookId, await world.PublishAsync())).GetProperty("id").GetInt64();
        await world.WaitForAttemptsAsync(id, 1);
        return id;
    }

    private static async Task<long> PendingIdAsync(DeliveryWorld world, string webhookId, string eventId) =>
        (await world.DeliveryAsync(webhookId, eventId)).GetProperty("id").GetInt64();

    /// <summary>A delivery as another instance's claim leaves it: delivering, under its lease, for a long while yet.</summary>
    private static Task InFlightElsewhereAsync(DeliveryWorld world, long id) => world.App.Database.ExecuteAsync("""
        UPDATE "Deliveries" SET "Status" = 'delivering', "LeaseOwner" = @owner, "LeaseExpiresAt" = @until, "NextAttemptAt" = @now
        WHERE "Id" = @id
        """, ("@owner", OtherInstance), ("@until", DateTime.UtcNow.AddHours(1)), ("@now", DateTime.UtcNow),
        ("@id", id));
}
