using System.Globalization;
using WebhookAdmin.Tests.Infrastructure;

namespace WebhookAdmin.Tests.Features.Deliveries;

/// <summary>
/// Every way a claim can be given up (an expired lease, a caller that stopped waiting) leaves the delivery
/// where the engine finds it again: pending with a due time, or finished. None stays pending forever.
/// </summary>
public sealed class ReleasedClaimTests() : WorldTests(options: null)
{
    [Fact]
    public async Task A_resend_whose_lease_expires_goes_back_to_the_outbox_with_a_due_time_and_is_sent()
    {
        var world = await StartWorldAsync(WorldOptions.FakeClockNoPoll);
        var (webhookId, _) = await world.CreateWebhookAsync(Receiver.UrlFor());
        var id = (await world.DeliveryAsync(webhookId, await world.PublishAsync())).GetProperty("id").GetInt64();
        await world.WaitForStatusAsync(id, "delivered");

        // What a resend leaves when its process pauses or its caller vanishes: the row claimed under a lease
        // that runs out, and no due time (a delivered row has none).
        var leaseEnds = world.Time.GetUtcNow().UtcDateTime.AddMinutes(2);
        Assert.Equal(1, await world.App.Database.ExecuteAsync("""
            UPDATE "Deliveries" SET "Status" = 'delivering', "LeaseOwner" = 'paused-host:1:resend', "LeaseExpiresAt" = @lease
            WHERE "Id" = @id
            """, ("@lease", leaseEnds), ("@id", id)));

        world.AdvanceTo(leaseEnds + TimeSpan.FromMinutes(1));
        await world.SweepLeasesAsync();

        var requests = await Receiver.WaitForAsync(2);
        Assert.Equal(id.ToString(CultureInfo.InvariantCulture), requests[1].Header("X-Webhook-Delivery"));
        var delivery = await world.WaitForAttemptsAsync(id, 2);
        Assert.Equal("delivered", delivery.Str("status"));
        Assert.Equal(0, (await world.Admin.GetOk($"/api/v1/webhooks/{webhookId}/health")).GetProperty("pending").GetInt32());
    }

    // SQLite: one process owns the file, so a restart takes back every claim at once. On PostgreSQL a restart takes back
    // only expired leases (another instance may hold the rest); the multi-instance kill test is what covers that.
    [Fact]
    [Trait("Category", "SqliteOnly")]
    public async Task A_resend_interrupted_by_a_crash_is_sent_again_after_the_restart()
    {
        var database = NewDatabase();
        long id;
        await using (var before = await StartWorldAsync(WorldOptions.Default with { Database = database }))
        {
            var (webhookId, _) = await before.CreateWebhookAsync(Receiver.UrlFor());
            id = (await before.DeliveryAsync(webhookId, await before.PublishAsync())).GetProperty("id").GetInt64();
            await before.WaitForStatusAsync(id, "delivered");
        }
        Assert.Equal(1, await database.ExecuteAsync("""
            UPDATE "Deliveries" SET "Status" = 'delivering', "LeaseOwner" = 'crashed-host:1:resend', "LeaseExpiresAt" = @lease
            WHERE "Id" = @id
            """, ("@lease", DateTime.UtcNow.AddMinutes(10)), ("@id", id)));

        var after = await StartWorldAsync(WorldOptions.Default with { Database = database, Organization = null });

        await Receiver.WaitForAsync(2);
        var delivery = await after.WaitForAttemptsAsync(id, 2);
        Assert.Equal("delivered", delivery.Str("status"));
    }

    [Fact]
    public async Task A_test_send_whose_caller_stops_waiting_for_a_sending_slot_ends_failed_not_claimed()
    {
        // A short timeout only so that the hanging attempt ends soon after the test.
        var world = await StartWorldAsync(WorldOptions.Default.With("Delivery:MaxConcurrency", "1").With("Delivery:Timeout", "00:00:03"));
        // The only sending slot is taken by a receiver that never answers.
        Receiver.Respond(r => r.Path.StartsWith("/hangs", StringComparison.Ordinal) ? ReceiverAnswer.Hanging : ReceiverAnswer.Ok);
        await world.CreateWebhookAsync(Receiver.UrlFor("/hangs"));
        await world.PublishAsync();
        await Receiver.WaitForAsync(1);
        var (testedId, _) = await world.CreateWebhookAsync(Receiver.UrlFor("/tested"));

        using (var impatient = world.App.Api())
        {
            impatient.Timeout = TimeSpan.FromSeconds(1);
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                impatient.PostAsync($"/api/v1/webhooks/{testedId}/test", null, TestContext.Current.CancellationToken));
        }

        var test = await Eventually.ReturnsAsync(() => world.DeliveriesAsync(testedId),
            d => d.Count == 1 && d[0].Str("status") != "delivering", "the abandoned test send to be given up");
        Assert.Equal("failed", test[0].Str("status"));
        Assert.Single(Receiver.Requests);
    }
}
