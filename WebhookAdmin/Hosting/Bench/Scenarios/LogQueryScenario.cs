using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using WebhookAdmin.Data;
using WebhookAdmin.Features.Events;

namespace WebhookAdmin.Hosting.Bench.Scenarios;

public sealed record QueryTiming(string Query, double FirstMs, double MedianMs, int TotalItems);

public sealed record LogQueryResult(int Attempts, double SeedSeconds, IReadOnlyList<QueryTiming> Queries);

/// <summary>
/// The delivery log with a large history: seed deliveries with one attempt each (straight into the database, it is
/// the reads that are measured), then time the pages the admin app loads, through the API.
/// </summary>
public static class LogQueryScenario
{
    private const int Repeats = 5;

    public static async Task<LogQueryResult> RunAsync(BenchOptions options)
    {
        await using var app = await BenchApp.StartAsync(options);
        var webhooks = await app.CreateWebhooksAsync(Enumerable.Range(0, 10).Select(i => $"http://127.0.0.1:9/unused/{i}"));
        var seeding = Stopwatch.StartNew();
        await SeedAsync(app, webhooks, options.LogAttempts);
        var seedSeconds = Math.Round(seeding.Elapsed.TotalSeconds, 1);

        var type = EventCatalog.Subscribable[3].Name;
        (string Name, string Path)[] queries =
        [
            ("first page", "/api/v1/deliveries?take=50"),
            ("failed deliveries of one event type", $"/api/v1/deliveries?status=failed&event={type}&take=50"),
            ("one webhook, page 3", $"/api/v1/deliveries?webhookId={webhooks[4]}&skip=100&take=50"),
            ("one webhook's page (webhook route)", $"/api/v1/webhooks/{webhooks[7]}/deliveries?take=50"),
        ];
        var timings = new List<QueryTiming>();
        foreach (var (name, path) in queries)
            timings.Add(await TimeAsync(app, name, path));
        return new LogQueryResult(options.LogAttempts, seedSeconds, timings);
    }

    private static async Task<QueryTiming> TimeAsync(BenchApp app, string name, string path)
    {
        var samples = new List<double>();
        var total = 0;
        for (var i = 0; i < Repeats; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var page = await app.ExpectAsync(HttpMethod.Get, path, null, System.Net.HttpStatusCode.OK);
            samples.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            total = page.GetProperty("pageInfo").GetProperty("totalItems").GetInt32();
        }
        var first = samples[0];
        samples.Sort();
        return new QueryTiming(name, Math.Round(first, 1), Math.Round(samples[Repeats / 2], 1), total);
    }

    /// <summary>
    /// Ten deliveries per event, one attempt per delivery: 95 % delivered, 4 % failed, 1 % held, over the week before
    /// <paramref name="olderBy"/> ago (the retention scenario seeds a history that has expired).
    /// </summary>
    internal static async Task SeedAsync(BenchApp app, List<string> webhooks, int count, TimeSpan olderBy = default)
    {
        var dbFactory = app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        await using var db = await dbFactory.CreateDbContextAsync();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        var now = DateTime.UtcNow - olderBy;
        var random = new Random(42);
        const int chunk = 50_000;
        for (var start = 0; start < count; start += chunk)
        {
            await using var transaction = await connection.BeginTransactionAsync();
            await using var insertEvent = PreparedSql.Create(connection, transaction, """
                INSERT INTO "Events" ("Id","Type","ProjectId","CompanyId","ActorId","OccurredAt","ReceivedAt","PreviousValueJson","CurrentValueJson","DeliveryCount","Origin")
                VALUES (@id,@type,@project,'bench-co','user_42',@at,@at,NULL,'{"id":"todo_1","done":true}',10,'Published')
                """, "@id", "@type", "@project", "@at");
            await using var insertDelivery = PreparedSql.Create(connection, transaction, """
                INSERT INTO "Deliveries" ("Id","WebhookId","EventId","EventType","ProjectId","Status","Attempts","ScheduledAttempts","NextAttemptAt","CreatedAt","DeliveredAt","LastAttemptAt","LastStatusCode","LastError","AwaitsReplay")
                VALUES (@id,@webhook,@event,@type,@project,@status,1,1,NULL,@at,@delivered,@at,@code,@error,FALSE)
                """, "@id", "@webhook", "@event", "@type", "@project", "@status", "@at", "@delivered", "@code", "@error");
            await using var insertAttempt = PreparedSql.Create(connection, transaction, """
                INSERT INTO "DeliveryAttempts" ("DeliveryId","WebhookId","Number","StartedAt","DurationMs","StatusCode","Succeeded","Error","RequestHeaders","ResponseHeaders","ResponseBody","Trigger")
                VALUES (@delivery,@webhook,1,@at,@ms,@code,@ok,@error,'{"Content-Type":"application/json","User-Agent":"WebhookAdmin/0.1.0","X-Webhook-Attempt":"1"}','{"Content-Length":"2"}',@body,'Scheduled')
                """, "@delivery", "@webhook", "@at", "@ms", "@code", "@ok", "@error", "@body");

            for (var i = start; i < Math.Min(count, start + chunk); i++)
            {
                var eventId = $"evt_seed_{i / 10}";
                var type = EventCatalog.Subscribable[(i / 10) % EventCatalog.Subscribable.Count].Name;
                var at = now.AddSeconds(-(count - i) * 0.5);
                if (i % 10 == 0)
                    await insertEvent.RunAsync(CancellationToken.None, eventId, type, BenchApp.ProjectId, at);
                var roll = random.Next(100);
                var (status, code, error) = roll < 95 ? ("delivered", 200, null) : roll < 99 ? ("failed", 500, "the receiver answered 500 Internal Server Error") : ("held", 503, "the receiver answered 503 Service Unavailable");
                await insertDelivery.RunAsync(CancellationToken.None, i + 1, webhooks[i % webhooks.Count], eventId, type, BenchApp.ProjectId, status, at,
                    status == "delivered" ? at : null, code, error);
                await insertAttempt.RunAsync(CancellationToken.None, i + 1, webhooks[i % webhooks.Count], at, 2.5 + random.NextDouble() * 20, code, status == "delivered", error, status == "delivered" ? "ok" : "broken");
            }
            await transaction.CommitAsync();
        }
        // The seed chose the deliveries' ids; PostgreSQL's identity did not see them, and the app's next id would collide.
        if (app.Database.Provider == DatabaseProvider.Postgres)
            await db.Database.ExecuteSqlRawAsync("""SELECT setval(pg_get_serial_sequence('"Deliveries"', 'Id'), (SELECT max("Id") FROM "Deliveries"))""");
    }
}
