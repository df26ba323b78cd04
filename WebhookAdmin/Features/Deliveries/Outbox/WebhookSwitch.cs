using WebhookAdmin.Data;
using WebhookAdmin.Features.Deliveries.Reasons;

namespace WebhookAdmin.Features.Deliveries.Outbox;

/// <summary>
/// Turns a webhook's sending on and off, together with what waits for it, in one durable transaction:
/// disabling holds its pending deliveries, re-enabling replays (or skips) them, deleting skips them.
/// The Webhooks feature decides who may; this decides what happens.
/// </summary>
public sealed class WebhookSwitch(WriteGate writeGate, AfterCommit afterCommit, TimeProvider time)
{
    /// <summary>By a person (<paramref name="byUserId"/>). False when it was not enabled (already disabled, or deleted).</summary>
    public async Task<bool> DisableAsync(string webhookId, PlainReason reason, string byUserId, CancellationToken cancellationToken)
    {
        var now = Now;
        await using var session = await BeginAsync(cancellationToken);
        if (await session.RunAsync(OutboxSql.DisableWebhook, ("@webhook", webhookId), ("@reason", reason.English()),
                ("@reasonJson", reason.ToJson()), ("@now", now)) == 0)
            return false;
        await session.RunAsync(OutboxSql.KeepRevision, ("@webhook", webhookId), ("@now", now));
        await session.RunAsync(OutboxSql.Hold, ("@webhook", webhookId));
        session.Changes.WebhookDisabled(webhookId, reason, byUserId);
        await session.CommitAsync();
        return true;
    }

    /// <summary>
    /// Enabled and HEALTHY (its failures reset). <paramref name="replay"/>: its held deliveries, and those that
    /// failed into the disable, go out again with a fresh retry budget; otherwise the held ones are skipped.
    /// Answers how many were released; null when the webhook is gone.
    /// </summary>
    public async Task<int?> EnableAsync(string webhookId, bool replay, CancellationToken cancellationToken)
    {
        var now = Now;
        await using var session = await BeginAsync(cancellationToken);
        if (await session.RunAsync(OutboxSql.EnableWebhook, ("@webhook", webhookId), ("@now", now)) == 0)
            return null;
        await session.RunAsync(OutboxSql.KeepRevision, ("@webhook", webhookId), ("@now", now));
        var released = 0;
        if (replay)
        {
            released = await session.RunAsync(OutboxSql.Replay, ("@webhook", webhookId), ("@now", now));
            if (released > 0) session.Changes.Due(now, now);
        }
        else
        {
            await session.RunAsync(OutboxSql.Skip, ("@webhook", webhookId));
            await session.RunAsync(OutboxSql.ForgetReplay, ("@webhook", webhookId));
        }
        session.Changes.WebhookEnabled(webhookId, released);
        await session.CommitAsync();
        return released;
    }

    /// <summary>Soft delete: the log keeps its history; what waited is skipped. False when it was already gone.</summary>
    public async Task<bool> DeleteAsync(string webhookId, CancellationToken cancellationToken)
    {
        await using var session = await BeginAsync(cancellationToken);
        if (await session.RunAsync(OutboxSql.DeleteWebhook, ("@webhook", webhookId), ("@now", Now)) == 0)
            return false;
        await session.RunAsync(OutboxSql.Skip, ("@webhook", webhookId));
        await session.RunAsync(OutboxSql.ForgetReplay, ("@webhook", webhookId));
        session.Changes.WebhookClosed(webhookId);
        await session.CommitAsync();
        return true;
    }

    // Durable: a person was told "disabled" or "deleted"; a power cut must not undo it.
    private Task<OutboxSession> BeginAsync(CancellationToken cancellationToken) =>
        OutboxSession.BeginAsync(writeGate, afterCommit, durable: true, cancellationToken);

    private DateTime Now => time.GetUtcNow().UtcDateTime;
}
