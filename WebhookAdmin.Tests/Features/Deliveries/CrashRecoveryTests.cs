using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WebhookAdmin.Tests.Infrastructure;

namespace WebhookAdmin.Tests.Features.Deliveries;

/// <summary>
/// Nothing accepted is lost when the process goes away: deliveries a dead process had claimed are sent by
/// the next one, and a graceful stop hands back what was waiting in memory.
/// </summary>
// SQLite: one process owns the file, so a restart takes back every claim at once. On PostgreSQL a restart takes back
// only expired leases (another instance may hold the rest); the multi-instance kill test is what covers that.
[Trait("Category", "SqliteOnly")]
public sealed class CrashRecoveryTests() : WorldTests(options: null)
{
    [Fact]
    public async Task Deliveries_claimed_by_a_process_that_died_are_sent_after_a_restart()
    {
        var database = NewDatabase();
        List<long> claimed = [];
        await using (var before = await StartWorldAsync(WorldOptions.Default with { Database = database }))
        {
            // Held deliveries are a quiet way to have rows the first process will not send itself.
            var (webhookId, _) = await before.CreateWebhookAsync(Receiver.UrlFor());
            await before.Admin.PostOk($"/api/v1/webhooks/{webhookId}/disable", null);
            for (var i = 0; i < 5; i++)
                claimed.Add((await before.DeliveryAsync(webhookId, await before.PublishAsync())).GetProperty("id").GetInt64());
        }

        // What a process killed mid-send leaves behind: rows it claimed, under its lease, not finished.
        await database.ExecuteAsync("""
            UPDATE "Webhooks" SET "Enabled" = TRUE, "Status" = 'Healthy', "DisabledReason" = NULL, "DisabledAt" = NULL
            """);
        await database.ExecuteAsync("""
            UPDATE "Deliveries" SET "Status" = 'delivering', "LeaseOwner" = 'crashed-host:4242:0badf00d', "LeaseExpiresAt" = @lease
            """, ("@lease", DateTime.UtcNow.AddMinutes(10)));

        var after = await StartWorldAsync(WorldOptions.Default with { Database = database, Organization = null });
        await Receiver.WaitForAsync(claimed.Count);
        foreach (var id in claimed)
        {
            var delivery = await after.WaitForStatusAsync(id, "delivered");
            Assert.Equal(1, delivery.GetProperty("attempts").GetInt32());
        }
        Assert.Equal(claimed.Count, Receiver.Requests.Select(r => r.Header("X-Webhook-Delivery")).Distinct().Count());
    }

    [Fact]
    public async Task A_graceful_stop_hands_back_claimed_deliveries_so_the_next_start_sends_them()
    {
        var database = NewDatabase();
        Receiver.Respond(ReceiverAnswer.Hanging);
        List<long> ids = [];
        // One request in flight at a time, so three more claimed deliveries wait in memory (the dispatcher holds four
        // times its width) and the fifth stays in the outbox.
        var before = await StartWorldAsync(WorldOptions.FakeClockNoPoll.With("Delivery:MaxConcurrency", "1") with
        {
            Database = database,
            Services = services => services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2)),
        });
        await using (before)
        {
            var (webhookId, _) = await before.CreateWebhookAsync(Receiver.UrlFor());
            for (var i = 0; i < 5; i++)
                ids.Add((await before.DeliveryAsync(webhookId, await before.PublishAsync())).GetProperty("id").GetInt64());

            await Receiver.WaitForAsync(1);
            await Eventually.ReturnsAsync(
                async () => (await before.DeliveriesAsync(webhookId)).Select(d => d.Str("status")).Order().ToList(),
                s => s.SequenceEqual(["delivering", "delivering", "delivering", "delivering", "pending"]),
                "one delivery in flight, three waiting in memory, one in the outbox");
            Assert.Single(Receiver.Requests);
        }

        // The database as the stopped process left it.
        var rows = await database.QueryAsync("""SELECT "Status", "LeaseOwner", "Attempts" FROM "Deliveries" ORDER BY "Id" """);
        Assert.Equal(5, rows.Count);
        Assert.All(rows, r => Assert.Equal(("pending", null, 0L), ((string)r[0]!, r[1], Convert.ToInt64(r[2], CultureInfo.InvariantCulture))));

        Receiver.Respond(ReceiverAnswer.Ok);
        var after = await StartWorldAsync(WorldOptions.Default with { Database = database, Organization = null });
        foreach (var id in ids)
            await after.WaitForStatusAsync(id, "delivered");
    }
}
