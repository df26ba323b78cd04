using System.Data.Common;
using WebhookAdmin.Data;
using WebhookAdmin.Features.Deliveries.Reasons;

namespace WebhookAdmin.Features.Deliveries.Outbox;

/// <summary>
/// Gives claims whose process died back to the outbox, so they are sent again (at least once; receivers
/// dedupe on <c>webhook-id</c>): at start-up all of them where one process owns the database (SQLite's file: every
/// claim left is an orphan) and only expired ones where other instances may hold live claims, and those whose lease
/// expired while the app runs.
/// </summary>
public sealed class LeaseRecovery(WriteGate writeGate, AfterCommit afterCommit, TimeProvider time, ILogger<LeaseRecovery> logger)
{
    /// <summary>
    /// Whether the drain looks for expired leases as it runs: where one process owns the database. Otherwise
    /// <see cref="LeaseReapingJob"/> does, on the clustered scheduler, once for every instance (ADR-021).
    /// </summary>
    public bool SweptByDrain => writeGate.Engine.OwnedByOneProcess;

    public async Task RecoverAtStartAsync(CancellationToken cancellationToken)
    {
        var sql = writeGate.Engine.OwnedByOneProcess ? OutboxSql.ReleaseAll : OutboxSql.ReleaseExpired;
        var released = await ReleaseAsync(sql, cancellationToken);
        if (released > 0)
            logger.LogWarning("Recovered {Count} deliveries that were being sent when the app last stopped; they will be sent again", released);
    }

    public async Task ReleaseExpiredAsync(CancellationToken cancellationToken)
    {
        var released = await ReleaseAsync(OutboxSql.ReleaseExpired, cancellationToken);
        if (released > 0)
            logger.LogWarning("Released {Count} deliveries whose lease expired (their process stopped while sending)", released);
    }

    /// <summary>
    /// Every claim in a database that no process serves (the snapshot <c>copy-to-postgres</c> moves), handed back as
    /// the start-up recovery of its one owner would: the same statement, on a plain connection, since no app and no
    /// write gate run on it.
    /// </summary>
    public static async Task<int> ReleaseAllAsync(DbConnection connection, DateTime now, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = OutboxSql.ReleaseAll;
        foreach (var (name, value) in new (string, object)[]
                 { ("@now", now), ("@reason", Because.Interrupted.English()), ("@reasonJson", Because.Interrupted.ToJson()) })
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<int> ReleaseAsync(string sql, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var session = await OutboxSession.BeginAsync(writeGate, afterCommit, durable: false, cancellationToken);
        var released = await session.RunAsync(sql, ("@now", now), ("@reason", Because.Interrupted.English()),
            ("@reasonJson", Because.Interrupted.ToJson()));
        if (released > 0) session.Changes.Due(now, now);
        await session.CommitAsync();
        return released;
    }
}
