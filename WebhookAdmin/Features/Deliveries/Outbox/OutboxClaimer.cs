using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using WebhookAdmin.Data;

namespace WebhookAdmin.Features.Deliveries.Outbox;

/// <summary>A claimed row as it was before the claim, and the lease it is now under.</summary>
public sealed record ClaimedRow(
    long Id, string WebhookId, string EventId, int Attempts, int ScheduledAttempts, DeliveryStatus StatusBefore, string Lease);

/// <summary>What one claim took, and whether it left due rows behind for their webhook's concurrency limit.</summary>
public sealed record ClaimRound(List<ClaimedRow> Rows, bool LeftBehindAtCap);

/// <summary>
/// Claims deliveries: due pending rows oldest first, at most <c>perWebhook</c> per webhook and none for
/// webhooks already at their concurrency limit; or one row for a resend. A claim marks the rows
/// <c>delivering</c> under a lease; an expired lease makes them claimable again (<see cref="LeaseRecovery"/>).
/// Where instances share the database (ADR-020) the candidates are locked as they are read and rows another
/// claim holds are skipped, and the limit counts what every instance has in flight (<see cref="SharedWebhookCap"/>).
/// </summary>
public sealed class OutboxClaimer(
    IDbContextFactory<AppDbContext> dbFactory, OutboxInstance instance, WriteGate writeGate, AfterCommit afterCommit)
{
    public async Task<ClaimRound> ClaimDueAsync(
        int limit, int perWebhook, IReadOnlyCollection<string> saturatedWebhooks, DateTime now, TimeSpan leaseFor,
        CancellationToken cancellationToken)
    {
        var rows = new List<ClaimedRow>(limit);
        await using var session = await OutboxSession.BeginAsync(writeGate, afterCommit, durable: false, cancellationToken);
        var (chosen, leftBehind) = await ChooseAsync(session, limit, perWebhook, saturatedWebhooks, now, cancellationToken);
        if (chosen.Count == 0) return new ClaimRound(rows, leftBehind);

        var lease = instance.NewLease();
        await using (var reader = await session.ReadAsync(OutboxSql.Claim, cancellationToken,
                         ("@lease", lease), ("@until", now + leaseFor), ("@ids", session.List(chosen))))
        {
            while (await reader.ReadAsync(cancellationToken))
                rows.Add(Read(reader, DeliveryStatus.Pending, lease));
        }
        session.Changes.BatchOf(OutboxBatch.Claim, rows.Count);
        await session.CommitAsync();
        return new ClaimRound(rows, leftBehind);
    }

    /// <summary>Claims one row for a resend, from the status the caller saw; null when it is in flight or gone.</summary>
    public async Task<ClaimedRow?> ClaimForResendAsync(long id, DateTime now, TimeSpan leaseFor, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var seen = await db.Deliveries.Where(d => d.Id == id).Select(d => (DeliveryStatus?)d.Status).FirstOrDefaultAsync(cancellationToken);
        if (seen is not { } status || !DeliveryLifecycle.ClaimForResend.From.Contains(status)) return null;

        var lease = instance.NewLease();
        ClaimedRow? row = null;
        await using var session = await OutboxSession.BeginAsync(writeGate, afterCommit, durable: false, cancellationToken);
        await using (var reader = await session.ReadAsync(OutboxSql.ClaimForResend, cancellationToken,
                         ("@lease", lease), ("@until", now + leaseFor), ("@id", id), ("@seen", status.ToName())))
        {
            if (await reader.ReadAsync(cancellationToken)) row = Read(reader, status, lease);
        }
        await session.CommitAsync();
        return row;
    }

    /// <summary>
    /// The earliest time after <paramref name="now"/> a pending delivery falls due, for the wake-up timer. Rows due
    /// already are the drain's: they wait only for room at their webhook's limit, and its completions wake the drain.
    /// </summary>
    public async Task<DateTime?> NextDueAsync(DateTime now, CancellationToken cancellationToken)
    {
        // Plain SQL: it runs after every timer-driven drain.
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """SELECT MIN("NextAttemptAt") FROM "Deliveries" WHERE "Status" = 'pending' AND "NextAttemptAt" > @now""";
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@now";
        parameter.Value = now;
        command.Parameters.Add(parameter);
        var value = await command.ExecuteScalarAsync(cancellationToken);
        // SQLite answers the column's text, PostgreSQL a timestamp.
        return value switch
        {
            string text => DateTime.SpecifyKind(DateTime.Parse(text, System.Globalization.CultureInfo.InvariantCulture), DateTimeKind.Utc),
            DateTime time => DateTime.SpecifyKind(time, DateTimeKind.Utc),
            _ => null,
        };
    }

    /// <summary>
    /// The oldest due ids, at most <paramref name="perWebhook"/> of each webhook (less what other instances have in
    /// flight, where they share the database) and <paramref name="limit"/> in all; and whether a webhook's limit left
    /// due rows out.
    /// </summary>
    private static async Task<(List<long> Chosen, bool LeftBehind)> ChooseAsync(OutboxSession session, int limit, int perWebhook,
        IReadOnlyCollection<string> saturatedWebhooks, DateTime now, CancellationToken cancellationToken)
    {
        var shared = !session.Engine.OwnedByOneProcess;
        var candidates = new List<(long Id, string WebhookId)>();
        // Twice what is wanted leaves room for webhooks past their cap without reading deep into a large backlog.
        await using (var reader = await session.ReadAsync(shared ? OutboxSql.ClaimCandidatesSkippingLocked : OutboxSql.ClaimCandidates,
                         cancellationToken, ("@now", now), ("@saturated", session.List(saturatedWebhooks)),
                         ("@scan", Math.Clamp(limit * 2, 64, 1024))))
        {
            while (await reader.ReadAsync(cancellationToken)) candidates.Add((reader.GetInt64(0), reader.GetString(1)));
        }
        var room = shared
            ? await SharedWebhookCap.RoomAsync(session, candidates.Select(c => c.WebhookId).Distinct(StringComparer.Ordinal).ToList(), perWebhook)
            : null;

        var chosen = new List<long>(limit);
        var leftBehind = false;
        var perWebhookCount = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (id, webhookId) in candidates)
        {
            if (chosen.Count == limit) break;
            var taken = perWebhookCount.GetValueOrDefault(webhookId);
            if (taken >= (room is null ? perWebhook : room.GetValueOrDefault(webhookId)))
            {
                leftBehind = true;
                continue;
            }
            perWebhookCount[webhookId] = taken + 1;
            chosen.Add(id);
        }
        return (chosen, leftBehind);
    }

    private static ClaimedRow Read(DbDataReader reader, DeliveryStatus before, string lease) =>
        new(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3), reader.GetInt32(4), before, lease);
}

/// <summary>Identifies this process, and each claim it makes, in delivery leases.</summary>
public sealed class OutboxInstance(Microsoft.Extensions.Options.IOptions<InstanceOptions> options)
{
    private long _claims;

    /// <summary><c>Instance:Name</c>, as recorded on each attempt this process makes.</summary>
    public string Name { get; } = options.Value.Name;

    /// <summary>
    /// The name (its first 40 characters) and a random part: two processes given the same name still hold different
    /// leases, and a lease with its sequence number fits the 64-character <c>LeaseOwner</c> column, which PostgreSQL enforces.
    /// </summary>
    public string Id { get; } = $"{(options.Value.Name.Length <= 40 ? options.Value.Name : options.Value.Name[..40])}:{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>A lease name no other claim has: this process and a sequence number.</summary>
    public string NewLease() => $"{Id}/{Interlocked.Increment(ref _claims)}";
}
