using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WebhookAdmin.Tests.Infrastructure;

namespace WebhookAdmin.Tests.Features.Deliveries;

/// <summary>
/// Nothing accepted is lost when the process goes away: deliveries a dead process had claimed are sent by
/// the next one, and a graceful stop hands back what was waiting in memory.
/// </summary>
public sealed class CrashRecoveryTests() : WorldTests(options: null)
{
    [Fact]
    public async Task Deliveries_claimed_by_a_process_that_died_are_sent_after_a_restart()
    {
        var copy = NewDatabasePath();
        List<long> claimed = [];
        await using (var before = await StartWorldAsync(WorldOptions.Default))
        {
            // Held deliveries are a quiet way to have rows the first process will not send itself.
            var (webhookId, _) = await before.CreateWebhookAsync(Receiver.UrlFor());
            await before.Admin.PostOk($"/api/v1/webhooks/{webhookId}/disable", null);
            for (var i = 0; i < 5; i++)
                claimed.Add((await before.DeliveryAsync(webhookId, await before.PublishAsync())).GetProperty("id").GetInt64());
            Backup(before.App.DatabasePath, copy);
        }

        // What a process killed mid-send leaves behind: rows it claimed, under its lease, not finished.
        Execute(copy, """
            UPDATE "Webhooks" SET "Enabled" = 1, "Status" = 'Healthy', "DisabledReason" = NULL, "DisabledAt" = NULL;
            UPDATE "Deliveries" SET "Status" = 'delivering', "LeaseOwner" = 'crashed-host:4242:0badf00d', "LeaseExpiresAt" = @lease;
            """, ("@lease", DateTime.UtcNow.AddMinutes(10)));

        var after = await StartWorldAsync(WorldOptions.Default with { DatabasePath = copy, Organization = null });
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
        var snapshot = NewDatabasePath();
        Receiver.Respond(ReceiverAnswer.Hanging);
        List<long> ids = [];
        // One request in flight at a time, so three more claimed deliveries wait in memory (the dispatcher holds four
        // times its width) and the fifth stays in the outbox.
        var before = await StartWorldAsync(WorldOptions.FakeClockNoPoll.With("Delivery:MaxConcurrency", "1") with
        {
            Services = services =>
            {
                services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
                // First registered, so stopped last: it sees the database as the stopped process leaves it.
                services.Insert(0, ServiceDescriptor.Singleton<IHostedService>(sp =>
                    new SnapshotOnStop(sp.GetRequiredService<IConfiguration>().GetConnectionString("Default")!, snapshot)));
            },
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

        var rows = Query(snapshot, """SELECT "Status", "LeaseOwner", "Attempts" FROM "Deliveries" ORDER BY "Id" """);
        Assert.Equal(5, rows.Count);
        Assert.All(rows, r => Assert.Equal(("pending", null, 0L), ((string)r[0]!, r[1], (long)r[2]!)));

        Receiver.Respond(ReceiverAnswer.Ok);
        var after = await StartWorldAsync(WorldOptions.Default with { DatabasePath = snapshot, Organization = null });
        foreach (var id in ids)
            await after.WaitForStatusAsync(id, "delivered");
    }

    private static string NewDatabasePath()
    {
        var directory = Path.Combine(Path.GetTempPath(), "wha-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        return Path.Combine(directory, "app.db");
    }

    /// <summary>A consistent copy of a live SQLite database (WAL included), through SQLite's backup API.</summary>
    private static void Backup(string sourcePath, string targetPath) => Backup($"Data Source={sourcePath}", targetPath, pooled: false);

    private static void Backup(string sourceConnectionString, string targetPath, bool pooled)
    {
        using var source = new SqliteConnection(new SqliteConnectionStringBuilder(sourceConnectionString) { Pooling = pooled }.ToString());
        using var target = new SqliteConnection($"Data Source={targetPath};Pooling=False");
        source.Open();
        target.Open();
        // The backup API does not wait for a writer that holds the lock; a few tries ride one out.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                source.BackupDatabase(target);
                return;
            }
            catch (SqliteException e) when (e.SqliteErrorCode is 5 or 6 && attempt < 50)
            {
                Thread.Sleep(100);
            }
        }
    }

    private static void Execute(string path, string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        command.ExecuteNonQuery();
    }

    private static List<object?[]> Query(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>Copies the app's database when the host stops, after every other hosted service has stopped.</summary>
    private sealed class SnapshotOnStop(string connectionString, string targetPath) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken)
        {
            Backup(connectionString, targetPath, pooled: false);
            return Task.CompletedTask;
        }
    }
}
