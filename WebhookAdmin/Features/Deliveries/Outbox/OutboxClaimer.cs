using System.Data.Common;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using WebhookAdmin.Data;

namespace WebhookAdmin.Features.Deliveries.Outbox;

/// <summary>
/// Claims due deliveries in one statement: pending rows whose time has come, oldest first, at most
/// <c>perWebhook</c> per webhook and none for webhooks already at their concurrency limit. A claim marks
/// the rows <c>delivering</c> under a lease that names this process; an expired lease (a killed process)
/// makes a row claimable again.
/// </summary>
public sealed class OutboxClaimer(IDbContextFactory<AppDbContext> dbFactory, OutboxInstance instance, WriteGate writeGate)
{
    // The inner LIMIT bounds the scan under a large backlog; the window caps each webhook's share.
    private const string ClaimSql = """
        UPDATE "Deliveries"
        SET "Status" = 'delivering', "LeaseOwner" = @owner, "LeaseExpiresAt" = @lease
        WHERE "Id" IN (
            SELECT "Id" FROM (
                SELECT "Id", ROW_NUMBER() OVER (PARTITION BY "WebhookId" ORDER BY "NextAttemptAt", "Id") AS "Rank"
                FROM (
                    SELECT "Id", "WebhookId", "NextAttemptAt" FROM "Deliveries"
                    WHERE "Status" = 'pending' AND "NextAttemptAt" <= @now
                      AND "WebhookId" NOT IN (SELECT "value" FROM json_each(@saturated))
                    ORDER BY "NextAttemptAt", "Id"
                    LIMIT @scan
                )
            )
            WHERE "Rank" <= @perWebhook
            LIMIT @limit
        )
        RETURNING "Id", "WebhookId", "EventId", "Attempts", "ScheduledAttempts", "NextAttemptAt"
        """;

    /// <summary>The claimed rows as they were before the claim (pending), ready to be turned into work.</summary>
    public async Task<List<WorkLoader.Row>> ClaimAsync(
        int limit, int perWebhook, IReadOnlyCollection<string> saturatedWebhooks, DateTime now, TimeSpan leaseFor,
        CancellationToken cancellationToken)
    {
        var rows = new List<WorkLoader.Row>(limit);
        using var gate = await writeGate.EnterAsync(cancellationToken);
        var command = gate.Command(ClaimSql, null, "@owner", "@lease", "@now", "@saturated", "@scan", "@perWebhook", "@limit");
        Set(command, instance.Id, now + leaseFor, now, JsonSerializer.Serialize(saturatedWebhooks), Math.Max(limit * 4, 1024), perWebhook, limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            rows.Add(new WorkLoader.Row(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3), reader.GetInt32(4),
                DeliveryStatus.Pending, reader.IsDBNull(5) ? null : DateTime.SpecifyKind(reader.GetDateTime(5), DateTimeKind.Utc)));
        return rows;
    }

    /// <summary>The earliest time a pending delivery falls due, for the wake-up timer.</summary>
    public async Task<DateTime?> NextDueAsync(CancellationToken cancellationToken)
    {
        // Plain SQL: it runs after every drain. Without the null check a pending row lacking a due time would
        // sort first and hide every real retry.
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT MIN("NextAttemptAt") FROM "Deliveries" WHERE "Status" = 'pending' AND "NextAttemptAt" IS NOT NULL
            """;
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is string text
            ? DateTime.SpecifyKind(DateTime.Parse(text, System.Globalization.CultureInfo.InvariantCulture), DateTimeKind.Utc)
            : null;
    }

    /// <summary>Hands rows whose lease ran out (their process died) back to the outbox.</summary>
    public async Task<int> ReleaseExpiredLeasesAsync(DateTime now, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        using var _ = await writeGate.EnterAsync(cancellationToken);
        return await db.Deliveries
            .Where(d => d.Status == DeliveryStatus.Delivering && d.LeaseExpiresAt < now)
            .ExecuteUpdateAsync(s => s
                .SetProperty(d => d.Status, DeliveryStatus.Pending)
                .SetProperty(d => d.LeaseOwner, (string?)null)
                .SetProperty(d => d.LeaseExpiresAt, (DateTime?)null), cancellationToken);
    }

    private static void Set(DbCommand command, params object[] values)
    {
        for (var i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i];
    }
}

/// <summary>Identifies this process in delivery leases.</summary>
public sealed class OutboxInstance
{
    public string Id { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";
}
