using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using WebhookAdmin.Data;
using WebhookAdmin.Features.Deliveries.Sending;
using WebhookAdmin.Features.Events;
using WebhookAdmin.Features.Webhooks;
using WebhookAdmin.Features.Webhooks.Subscriptions;

namespace WebhookAdmin.Features.Deliveries.Outbox;

/// <summary>
/// Turns claimed delivery rows into work: the webhook from the <see cref="SubscriptionIndex"/> with its
/// secrets decrypted (cached by ciphertext: a rotation makes a new one), the event from
/// <see cref="RecentEvents"/> or, for older ones, the database.
/// </summary>
public sealed class WorkLoader(WebhookSecrets secrets, SubscriptionIndex subscriptions, RecentEvents recentEvents, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, string> _plainSecrets = new();

    public sealed record Row(
        long Id, string WebhookId, string EventId, int Attempts, int ScheduledAttempts,
        DeliveryStatus Status, DateTime? NextAttemptAt);

    /// <summary>Reads the rows by id first (manual attempts, which claim one row).</summary>
    public async Task<List<DeliveryWork>> LoadAsync(
        AppDbContext db, IReadOnlyCollection<long> deliveryIds, Func<Row, AttemptKind> kind,
        Func<Row, TaskCompletionSource<AttemptResult>?>? completion, CancellationToken cancellationToken)
    {
        if (deliveryIds.Count == 0) return [];
        var rows = await db.Deliveries.AsNoTracking()
            .Where(d => deliveryIds.Contains(d.Id))
            .Select(d => new Row(d.Id, d.WebhookId, d.EventId, d.Attempts, d.ScheduledAttempts, d.Status, d.NextAttemptAt))
            .ToListAsync(cancellationToken);
        return await BuildAsync(db, rows, kind, completion, cancellationToken);
    }

    /// <summary>Rows the claim returned; deliveries whose webhook is gone (deleted) are left out.</summary>
    public async Task<List<DeliveryWork>> BuildAsync(
        AppDbContext db, IReadOnlyList<Row> rows, Func<Row, AttemptKind> kind,
        Func<Row, TaskCompletionSource<AttemptResult>?>? completion, CancellationToken cancellationToken)
    {
        var index = await subscriptions.CurrentAsync(cancellationToken);
        var events = await EventsAsync(db, rows.Select(r => r.EventId).Distinct(), cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;

        var work = new List<DeliveryWork>(rows.Count);
        foreach (var row in rows)
        {
            if (!index.Webhooks.TryGetValue(row.WebhookId, out var webhook) || !events.TryGetValue(row.EventId, out var evt))
                continue;
            work.Add(new DeliveryWork
            {
                DeliveryId = row.Id,
                Webhook = Snapshot(webhook, now),
                Event = evt,
                Kind = kind(row),
                AttemptNumber = row.Attempts + 1,
                ScheduledAttemptsBefore = row.ScheduledAttempts,
                StatusBefore = row.Status,
                NextAttemptAtBefore = row.NextAttemptAt,
                Completion = completion?.Invoke(row),
            });
        }
        return work;
    }

    private WebhookSnapshot Snapshot(WebhookEntry w, DateTime now)
    {
        List<string> keys = [Decrypt(w.ProtectedSecret)];
        if (w.ProtectedPreviousSecret is not null && w.PreviousSecretExpiresAt > now)
            keys.Add(Decrypt(w.ProtectedPreviousSecret));
        return new WebhookSnapshot(w.Id, w.Uid, w.Url, w.Enabled, w.Status, w.Events, w.ProjectIds, keys);
    }

    private async Task<Dictionary<string, EventSnapshot>> EventsAsync(AppDbContext db, IEnumerable<string> eventIds, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, EventSnapshot>(StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var id in eventIds)
        {
            if (recentEvents.TryGet(id, out var snapshot)) found[id] = snapshot;
            else missing.Add(id);
        }
        if (missing.Count == 0) return found;

        var loaded = await EventSnapshots.Query(db, missing).ToListAsync(cancellationToken);
        foreach (var snapshot in loaded) found[snapshot.Id] = snapshot;
        return found;
    }

    private string Decrypt(string protectedSecret) =>
        _plainSecrets.GetOrAdd(protectedSecret, secrets.Unprotect);
}
