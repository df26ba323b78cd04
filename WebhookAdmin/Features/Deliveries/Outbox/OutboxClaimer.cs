using System.Data.Common;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using WebhookAdmin.Data;

namespace WebhookAdmin.Features.Deliveries.Outbox;

/// <summary>
/// Claims due deliveries: pending rows whose time has come, oldest first, at most <c>perWebhook</c> per
/// webhook and none for webhooks already at their concurrency limit. A claim marks the rows
/// <c>delivering</c> under a lease that names this process; an expired lease (a killed process) makes a row
/// claimable again.
/// </summary>
public sealed class OutboxClaimer(IDbContextFactory<AppDbContext> dbFactory, OutboxInstance instance, WriteGate writeGate)
{
    // Candidates come from the covering index (status, due, id, webhook) alone; the per-webhook cap is applied
    // here rather than by a window function in SQL, which sorted every candidate on every claim and was most
    // of a claim's cost while a released backlog drained.
    private const string CandidatesSql = """
        SELECT "Id", "WebhookId" FROM "Deliveries"
        WHERE "Status" = 'pending' AND "NextAttemptAt" <= @now
          AND "WebhookId" NOT IN (SELECT "value" FROM json_each(@saturated))
        ORDER BY "NextAttemptAt", "Id"
        LIMIT @scan
        """;

    // "Status" = 'pending' again: another instance sharing the database may have claimed a row in between.
    // Its unary plus keeps SQLite from answering it with the status index (every pending row) instead of the ids.
    private const string ClaimSql = """
        UPDATE "Deliveries"
        SET "Status" = 'delivering', "LeaseOwner" = @owner, "LeaseExpiresAt" = @lease
        WHERE "Id" IN (SELECT "value" FROM json_each(@ids)) AND +"Status" = 'pending'
        RETURNING "Id", "WebhookId", "EventId", "Attempts", "ScheduledAttempts", "NextAttemptAt"
        """;

    /// <summary>The claimed rows as they were before the claim (pending), ready to be turned into work.</summary>
    public async Task<List<WorkLoader.Row>> ClaimAsync(
        int limit, int perWebhook, IReadOnlyCollection<string> saturatedWebhooks, DateTime now, TimeSpan leaseFor,
        CancellationToken cancellationToken)
    {
        var rows = new List<WorkLoader.Row>(limit);
        using var gate = await writeGate.EnterAsync(cancellationToken);
        var chosen = await ChooseAsync(gate, limit, perWebhook, saturatedWebhooks, now, cancellationToken);
        if (chosen.Count == 0) return rows;

        var claim = gate.Command(ClaimSql, null, "@owner", "@lease", "@ids");
        Set(claim, instance.Id, now + leaseFor, JsonSerializer.Serialize(chosen));
        await using var reader = await claim.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            rows.Add(new WorkLoader.Row(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3), reader.GetInt32(4),
                DeliveryStatus.Pending, reader.IsDBNull(5) ? null : DateTime.SpecifyKind(reader.GetDateTime(5), DateTimeKind.Utc)));
        return rows;
    }

    /// <summary>The oldest due ids, at most <paramref name="perWebhook"/> of each webhook and <paramref name="limit"/> in all.</summary>
    private static async Task<List<long>> ChooseAsync(WriteGate.WriteLease gate, int limit, int perWebhook,
        IReadOnlyCollection<string> saturatedWebhooks, DateTime now, CancellationToken cancellationToken)
    {
        var candidates = gate.Command(CandidatesSql, null, "@now", "@saturated", "@scan");
        // Twice what is wanted leaves room for webhooks past their cap without reading deep into a large backlog.
        Set(candidates, now, JsonSerializer.Serialize(saturatedWebhooks), Math.Clamp(limit * 2, 64, 1024));
        var chosen = new List<long>(limit);
        var perWebhookCount = new Dictionary<string, int>(StringComparer.Ordinal);
        await using var reader = await candidates.ExecuteReaderAsync(cancellationToken);
        while (chosen.Count < limit && await reader.ReadAsync(cancellationToken))
        {
            var webhookId = reader.GetString(1);
            var taken = perWebhookCount.GetValueOrDefault(webhookId);
            if (taken >= perWebhook) continue;
            perWebhookCount[webhookId] = taken + 1;
            chosen.Add(reader.GetInt64(0));
        }
        return chosen;
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
