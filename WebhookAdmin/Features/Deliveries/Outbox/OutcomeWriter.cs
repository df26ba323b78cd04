using WebhookAdmin.Data;
using WebhookAdmin.Features.Deliveries.Reasons;

namespace WebhookAdmin.Features.Deliveries.Outbox;

/// <summary>
/// Stores a batch of outcomes in one transaction: the attempt rows, each delivery's new state (fenced on its
/// lease), the webhooks' health, and the webhooks the batch disables with their pending deliveries held. Every
/// reason goes in twice: its English words (what the API shows) and its parts (what the pages translate).
/// <para>
/// A healthy webhook's health row is rewritten at most once a second (<see cref="RoutineHealthInterval"/>): a batch
/// of nothing but successes for a webhook whose failure count this writer last left at zero changes only its
/// last-attempt and last-success times. Every batch rewrote every such row before, which with a hundred busy webhooks
/// put a few dozen pages of the <c>Webhooks</c> table in each commit (ADR-019). Anything else (a failure, the first
/// success after one, a webhook this writer has not written yet) is written at once. Only this writer raises the
/// count; the others (enable, a passed health check) only reset it, so a count left at zero stays zero. That holds
/// only where one process owns the database: where instances share it, another instance's writer may have raised
/// the count meanwhile, so every batch writes its health.
/// </para>
/// </summary>
public sealed class OutcomeWriter(WriteGate writeGate, AfterCommit afterCommit, ILogger<OutcomeWriter> logger)
{
    public static readonly TimeSpan RoutineHealthInterval = TimeSpan.FromSeconds(1);

    /// <summary>Webhook → when this writer last committed its health with no failure counted. Used by the recorder's one loop only.</summary>
    private readonly Dictionary<string, DateTime> _cleanSince = new(StringComparer.Ordinal);

    public async Task WriteAsync(BatchPlan plan)
    {
        var health = new List<(string WebhookId, DateTime? CleanAt)>(plan.Health.Count);
        // Not durable: a batch lost to a power cut only means those deliveries are sent again (at least once).
        await using var session = await OutboxSession.BeginAsync(writeGate, afterCommit, durable: false, CancellationToken.None);
        // Queued: on PostgreSQL the rows and the health go to the server in one round trip (StatementQueue).
        foreach (var attempt in plan.Attempts)
        {
            InsertAttempt(session, attempt);
            session.Changes.AttemptStored(attempt.Succeeded);
        }
        foreach (var update in plan.Deliveries) UpdateDelivery(session, update, plan.Now);
        foreach (var update in plan.Health)
        {
            if (IsRoutine(update, plan.Now)) continue;
            UpdateHealth(session, update, streak => health.Add((update.WebhookId, streak == 0 ? plan.Now : null)));
        }
        foreach (var disable in plan.Disables) await DisableAsync(session, disable, plan.Now);
        session.Changes.BatchOf(OutboxBatch.Outcomes, plan.Deliveries.Count);
        await session.CommitAsync();
        foreach (var (webhookId, cleanAt) in health)
        {
            if (cleanAt is { } at) _cleanSince[webhookId] = at;
            else _cleanSince.Remove(webhookId);
        }
    }

    /// <summary>Nothing but successes, for a webhook last written clean less than a second ago: its row can wait.</summary>
    private bool IsRoutine(HealthUpdate h, DateTime now) =>
        writeGate.Engine.OwnedByOneProcess && h is { ResetFailures: true, FailuresAfterReset: 0 }
        && _cleanSince.TryGetValue(h.WebhookId, out var since) && now - since < RoutineHealthInterval && now >= since;

    private static void InsertAttempt(OutboxSession session, DeliveryAttempt a) => session.Queue(OutboxSql.InsertAttempt, onRowCount: null,
        ("@d", a.DeliveryId), ("@w", a.WebhookId), ("@n", a.Number), ("@s", a.StartedAt), ("@ms", a.DurationMs),
        ("@code", a.StatusCode), ("@ok", a.Succeeded), ("@err", a.Error), ("@errJson", a.ErrorReason?.ToJson()),
        ("@reqh", a.RequestHeaders), ("@resh", a.ResponseHeaders), ("@body", a.ResponseBody), ("@trig", a.Trigger.ToString()),
        ("@rev", a.WebhookRevision), ("@instance", a.Instance));

    private void UpdateDelivery(OutboxSession session, DeliveryUpdate u, DateTime now)
    {
        (string Sql, (string, object?)[] Values) statement = u.Outcome switch
        {
            Outcome.Delivered => (OutboxSql.Deliver, [("@id", u.DeliveryId), ("@lease", u.Lease),
                ("@attempts", u.Attempts), ("@scheduled", u.ScheduledAttempts), ("@at", now), ("@started", u.LastAttemptAt),
                ("@code", u.LastStatusCode)]),
            Outcome.Retry => (OutboxSql.Retry, [("@id", u.DeliveryId), ("@lease", u.Lease),
                ("@attempts", u.Attempts), ("@scheduled", u.ScheduledAttempts), ("@next", u.NextAttemptAt),
                ("@started", u.LastAttemptAt), ("@code", u.LastStatusCode),
                ("@error", u.LastError?.English()), ("@errorJson", u.LastError?.ToJson())]),
            Outcome.Failed => (OutboxSql.Fail, [("@id", u.DeliveryId), ("@lease", u.Lease),
                ("@attempts", u.Attempts), ("@scheduled", u.ScheduledAttempts), ("@started", u.LastAttemptAt),
                ("@code", u.LastStatusCode), ("@error", u.LastError?.English()), ("@errorJson", u.LastError?.ToJson()),
                ("@awaits", u.AwaitsReplay)]),
            Outcome.Restored => (OutboxSql.Restore, [("@id", u.DeliveryId), ("@lease", u.Lease),
                ("@status", u.RestoreTo.ToName()), ("@attempts", u.Attempts), ("@now", now), ("@started", u.LastAttemptAt),
                ("@code", u.LastStatusCode), ("@error", u.LastError?.English()), ("@errorJson", u.LastError?.ToJson())]),
            Outcome.Released => Release(u, now),
            _ => throw new ArgumentOutOfRangeException(nameof(u), u.Outcome, null),
        };
        session.Queue(statement.Sql, written => Updated(session, u, now, written), statement.Values);
    }

    private void Updated(OutboxSession session, DeliveryUpdate u, DateTime now, int written)
    {
        if (written == 0)
        {
            // The lease was lost (it expired and another claim took the row): the new owner's writes stand.
            logger.LogWarning("Delivery {DeliveryId} was no longer under lease {Lease}; its outcome {Outcome} is kept in the attempt log only",
                u.DeliveryId, u.Lease, u.Outcome);
            return;
        }
        // Only the write that made it delivered counts its latency: a lost lease or a resend of a delivered one never does.
        if (u.FirstDeliveryLatency is { } latency) session.Changes.FirstDelivered(latency);
        if (u.Outcome == Outcome.Retry && u.NextAttemptAt is { } next) session.Changes.Due(next, now);
        if (u.Outcome is Outcome.Released or Outcome.Restored) session.Changes.Due(now, now);
    }

    /// <summary>A claim handed back with no outcome; a person's test send then says why in the log.</summary>
    private static (string, (string, object?)[]) Release(DeliveryUpdate u, DateTime now)
    {
        var reason = u.LastError ?? Because.CallerLeftOrAppStopped;
        return (OutboxSql.ReleaseOne, [("@id", u.DeliveryId), ("@lease", u.Lease), ("@now", now),
            ("@reason", reason.English()), ("@reasonJson", reason.ToJson())]);
    }

    /// <summary><paramref name="onStreak"/> hears the webhook's failure count after the update; null when the webhook is gone.</summary>
    private static void UpdateHealth(OutboxSession session, HealthUpdate h, Action<long?> onStreak) => session.QueueValue(OutboxSql.UpdateHealth,
        value =>
        {
            // SQLite answers a long, PostgreSQL an int; nothing when the webhook row is gone.
            long? streak = value is null or DBNull ? null : Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
            if (h.FailuresAfterReset > 0 && streak is { } length)
                session.Changes.FailureStreak(h.WebhookId, (int)length, h.FailuresAfterReset);
            onStreak(streak);
        },
        ("@webhook", h.WebhookId), ("@last", h.LastAttemptAt), ("@success", h.LastSuccessAt), ("@failure", h.LastFailureAt),
        ("@reset", h.ResetFailures), ("@failures", h.FailuresAfterReset));

    private static async Task DisableAsync(OutboxSession session, WebhookDisable d, DateTime now)
    {
        if (await session.RunAsync(OutboxSql.DisableWebhook, ("@webhook", d.WebhookId), ("@reason", d.Reason.English()),
                ("@reasonJson", d.Reason.ToJson()), ("@now", now)) == 0)
            return;
        await session.RunAsync(OutboxSql.KeepRevision, ("@webhook", d.WebhookId), ("@now", now));
        await session.RunAsync(OutboxSql.Hold, ("@webhook", d.WebhookId));
        session.Changes.WebhookDisabled(d.WebhookId, d.Reason, byUserId: null);
    }
}
