using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using WebhookAdmin.Data;
using WebhookAdmin.Features.Deliveries.Sending;

namespace WebhookAdmin.Features.Deliveries.Outbox;

/// <summary>
/// Stores attempt outcomes in batches: whatever has arrived is written in one transaction (attempt rows,
/// delivery states, webhook health, automatic disabling), so the database is not what limits delivery.
/// Callers that wait for an outcome (test, resend, health check) are released once it is committed.
/// </summary>
public sealed class AttemptRecorder(
    OutcomePlanner planner,
    WebhookGate gate,
    NextDueTimer dueTimer,
    WriteGate writeGate,
    Webhooks.Subscriptions.SubscriptionIndex subscriptions,
    ILogger<AttemptRecorder> logger) : BackgroundService
{
    // Small enough that a batch holds the write gate for a few milliseconds: ingestion and claims queue behind it.
    private const int MaxBatch = 256;
    private static readonly TimeSpan FlushGrace = TimeSpan.FromSeconds(5);
    private readonly Channel<RecordItem> _queue = Channel.CreateUnbounded<RecordItem>(new UnboundedChannelOptions { SingleReader = true });

    public void Record(RecordItem item)
    {
        if (!_queue.Writer.TryWrite(item))
            logger.LogError("The attempt recorder is closed; delivery {DeliveryId} keeps its lease and is recovered at restart", Id(item));
    }

    /// <summary>No more items after this; <see cref="StopAsync"/> then writes what is queued.</summary>
    public void Complete() => _queue.Writer.TryComplete();

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        Complete();
        // The dispatcher stops first and may use up the host's whole shutdown deadline waiting for in-flight
        // attempts; what they hand back must still be written (a batch takes milliseconds), or those rows keep
        // their lease until the next start. So the last batch gets its own short grace, not the host's token.
        if (ExecuteTask is { } running)
            await running.WaitAsync(FlushGrace, CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await base.StopAsync(cancellationToken);
    }


    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<RecordItem>(MaxBatch);
        // Not stoppingToken: on shutdown the loop ends when the channel is completed and empty, so nothing queued is lost.
        while (await _queue.Reader.WaitToReadAsync(CancellationToken.None))
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var item))
                batch.Add(item);
            await WriteWithRetryAsync(batch);
            batch.Clear();
        }
    }

    private async Task WriteWithRetryAsync(List<RecordItem> batch)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var plan = await WriteAsync(batch);
                AfterCommit(batch, plan);
                return;
            }
            catch (Exception e) when (attempt < 5)
            {
                logger.LogWarning(e, "Storing {Count} attempt outcomes failed (try {Attempt}); retrying", batch.Count, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt));
            }
            catch (Exception e)
            {
                // The rows keep their lease and are sent again after it expires or at restart: at least once.
                logger.LogError(e, "Storing {Count} attempt outcomes failed; their deliveries will be retried", batch.Count);
                foreach (var item in batch)
                    if (item is AttemptMade { Work.Completion: { } waiting }) waiting.TrySetException(e);
                return;
            }
        }
    }

    private async Task<BatchPlan> WriteAsync(List<RecordItem> batch)
    {
        // Whether a failed delivery goes back to pending or to held depends on its webhook being enabled; the
        // index is current to within the last write, and a held-vs-pending slip is corrected by the dispatcher.
        var index = await subscriptions.CurrentAsync();
        var enabled = batch.OfType<AttemptMade>().Select(a => a.Work.Webhook.Id).Distinct()
            .ToDictionary(id => id, id => index.Webhooks.TryGetValue(id, out var w) && w.Enabled);
        var plan = planner.Plan(batch, enabled);

        using var gate = await writeGate.EnterAsync();
        try
        {
            await using var transaction = gate.Connection.BeginTransaction();
            var sql = new RecorderSql(gate, transaction);
            foreach (var attempt in plan.Attempts) await sql.InsertAttemptAsync(attempt);
            foreach (var update in plan.Deliveries) await sql.UpdateDeliveryAsync(update);
            foreach (var health in plan.Health) await sql.UpdateHealthAsync(health);
            foreach (var disable in plan.Disables) await sql.DisableAsync(disable, plan.Now);
            await transaction.CommitAsync();
        }
        catch
        {
            gate.Reset();
            throw;
        }
        return plan;
    }

    private void AfterCommit(List<RecordItem> batch, BatchPlan plan)
    {
        foreach (var disable in plan.Disables) gate.Disabled(disable.WebhookId);
        if (plan.Disables.Count > 0) subscriptions.Invalidate();
        dueTimer.WakeAt(plan.EarliestRetry);
        foreach (var item in batch)
            if (item is AttemptMade { Work.Completion: { } waiting } made) waiting.TrySetResult(made.Result);
    }

    private static long Id(RecordItem item) => item switch
    {
        AttemptMade made => made.Work.DeliveryId,
        NotSent notSent => notSent.DeliveryId,
        _ => 0,
    };

    /// <summary>The batch's statements, prepared once on the gate's connection and run per row.</summary>
    private sealed class RecorderSql(WriteGate.WriteLease gate, SqliteTransaction transaction)
    {
        public Task InsertAttemptAsync(DeliveryAttempt a) => Run("""
            INSERT INTO "DeliveryAttempts" ("DeliveryId", "WebhookId", "Number", "StartedAt", "DurationMs", "StatusCode",
                "Succeeded", "Error", "RequestHeaders", "ResponseHeaders", "ResponseBody", "Trigger")
            VALUES (@d, @w, @n, @s, @ms, @code, @ok, @err, @reqh, @resh, @body, @trig)
            """,
            ("@d", a.DeliveryId), ("@w", a.WebhookId), ("@n", a.Number), ("@s", a.StartedAt), ("@ms", a.DurationMs),
            ("@code", a.StatusCode), ("@ok", a.Succeeded), ("@err", a.Error), ("@reqh", a.RequestHeaders),
            ("@resh", a.ResponseHeaders), ("@body", a.ResponseBody), ("@trig", a.Trigger.ToString()));

        public Task UpdateDeliveryAsync(DeliveryUpdate u) => Run("""
            UPDATE "Deliveries" SET "Status" = @status, "Attempts" = COALESCE(@attempts, "Attempts"),
                "ScheduledAttempts" = COALESCE(@scheduled, "ScheduledAttempts"),
                "NextAttemptAt" = @next, "DeliveredAt" = COALESCE(@delivered, "DeliveredAt"),
                "LastAttemptAt" = COALESCE(@last, "LastAttemptAt"), "LastStatusCode" = COALESCE(@code, "LastStatusCode"),
                "LastError" = CASE WHEN @last IS NULL THEN "LastError" ELSE @err END,
                "LeaseOwner" = NULL, "LeaseExpiresAt" = NULL
            WHERE "Id" = @id
            """,
            ("@id", u.DeliveryId), ("@status", u.Status.ToName()), ("@attempts", u.Attempts), ("@scheduled", u.ScheduledAttempts),
            ("@next", u.NextAttemptAt), ("@delivered", u.DeliveredAt), ("@last", u.LastAttemptAt),
            ("@code", u.LastStatusCode), ("@err", u.LastError));

        public Task UpdateHealthAsync(HealthUpdate h) => Run("""
            UPDATE "Webhooks" SET "LastAttemptAt" = @last,
                "LastSuccessAt" = COALESCE(@success, "LastSuccessAt"), "LastFailureAt" = COALESCE(@failure, "LastFailureAt"),
                "ConsecutiveFailures" = CASE WHEN @reset THEN @failures ELSE "ConsecutiveFailures" + @failures END
            WHERE "Id" = @id
            """,
            ("@id", h.WebhookId), ("@last", h.LastAttemptAt), ("@success", h.LastSuccessAt), ("@failure", h.LastFailureAt),
            ("@reset", h.ResetFailures), ("@failures", h.FailuresAfterReset));

        public async Task DisableAsync(WebhookDisable d, DateTime now)
        {
            await Run("""
                UPDATE "Webhooks" SET "Enabled" = 0, "Status" = 'Unhealthy', "DisabledReason" = @reason,
                    "DisabledAt" = @now, "UpdatedAt" = @now
                WHERE "Id" = @id AND "Enabled" = 1
                """, ("@id", d.WebhookId), ("@reason", d.Reason), ("@now", now));
            await Run("""
                UPDATE "Deliveries" SET "Status" = 'held' WHERE "WebhookId" = @id AND "Status" = 'pending'
                """, ("@id", d.WebhookId));
        }

        private Task Run(string sql, params (string Name, object? Value)[] values)
        {
            var names = new string[values.Length];
            for (var i = 0; i < values.Length; i++) names[i] = values[i].Name;
            var command = gate.Command(sql, transaction, names);
            return command.RunAsync(CancellationToken.None, values.Select(v => v.Value).ToArray());
        }
    }
}
