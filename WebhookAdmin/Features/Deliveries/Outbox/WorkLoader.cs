using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using WebhookAdmin.Data;
using WebhookAdmin.Features.Deliveries.Sending;
using WebhookAdmin.Features.Webhooks;

namespace WebhookAdmin.Features.Deliveries.Outbox;

/// <summary>
/// Loads what claimed deliveries need to be sent: the event with its company and project names, and
/// the webhook with its secrets decrypted (decryptions are cached by ciphertext: a rotation makes a new one).
/// </summary>
public sealed class WorkLoader(WebhookSecrets secrets, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, string> _plainSecrets = new();

    public sealed record Row(
        long Id, string WebhookId, string EventId, int Attempts, int ScheduledAttempts,
        DeliveryStatus Status, DateTime? NextAttemptAt);

    public async Task<List<DeliveryWork>> LoadAsync(
        AppDbContext db, IReadOnlyCollection<long> deliveryIds, Func<Row, AttemptKind> kind,
        Func<Row, TaskCompletionSource<AttemptResult>?>? completion, CancellationToken cancellationToken)
    {
        if (deliveryIds.Count == 0) return [];

        var rows = await db.Deliveries.AsNoTracking()
            .Where(d => deliveryIds.Contains(d.Id))
            .Select(d => new Row(d.Id, d.WebhookId, d.EventId, d.Attempts, d.ScheduledAttempts, d.Status, d.NextAttemptAt))
            .ToListAsync(cancellationToken);

        var webhooks = await LoadWebhooksAsync(db, rows.Select(r => r.WebhookId).Distinct().ToList(), cancellationToken);
        var events = await LoadEventsAsync(db, rows.Select(r => r.EventId).Distinct().ToList(), cancellationToken);

        var work = new List<DeliveryWork>(rows.Count);
        foreach (var row in rows)
        {
            // A webhook deleted after the claim has no snapshot: the dispatcher skips its deliveries.
            if (!webhooks.TryGetValue(row.WebhookId, out var webhook) || !events.TryGetValue(row.EventId, out var evt))
                continue;
            var attemptKind = kind(row);
            work.Add(new DeliveryWork
            {
                DeliveryId = row.Id,
                Webhook = webhook,
                Event = evt,
                Kind = attemptKind,
                AttemptNumber = row.Attempts + 1,
                ScheduledAttemptsBefore = row.ScheduledAttempts,
                StatusBefore = row.Status,
                NextAttemptAtBefore = row.NextAttemptAt,
                Completion = completion?.Invoke(row),
            });
        }
        return work;
    }

    public async Task<Dictionary<string, WebhookSnapshot>> LoadWebhooksAsync(
        AppDbContext db, IReadOnlyCollection<string> webhookIds, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var webhooks = await db.Webhooks.AsNoTracking()
            .Where(w => webhookIds.Contains(w.Id))
            .Select(w => new
            {
                w.Id, w.Uid, w.Url, w.Enabled, w.Status, w.Events, w.ProjectIds,
                w.ProtectedSecret, w.ProtectedPreviousSecret, w.PreviousSecretExpiresAt,
            })
            .ToListAsync(cancellationToken);

        return webhooks.ToDictionary(w => w.Id, w =>
        {
            List<string> keys = [Decrypt(w.ProtectedSecret)];
            if (w.ProtectedPreviousSecret is not null && w.PreviousSecretExpiresAt > now)
                keys.Add(Decrypt(w.ProtectedPreviousSecret));
            return new WebhookSnapshot(w.Id, w.Uid, w.Url, w.Enabled, w.Status, w.Events, w.ProjectIds, keys);
        });
    }

    private static async Task<Dictionary<string, EventSnapshot>> LoadEventsAsync(
        AppDbContext db, IReadOnlyCollection<string> eventIds, CancellationToken cancellationToken)
    {
        var events = await (
            from e in db.Events.AsNoTracking()
            where eventIds.Contains(e.Id)
            join p in db.Projects on e.ProjectId equals p.Id into projects
            from p in projects.DefaultIfEmpty()
            join c in db.Companies on e.CompanyId equals c.Id into companies
            from c in companies.DefaultIfEmpty()
            select new EventSnapshot(e.Id, e.Type, e.OccurredAt, e.CompanyId, c == null ? null : c.Name,
                e.ProjectId, p == null ? null : p.Name, e.ActorId, e.PreviousValueJson, e.CurrentValueJson))
            .ToListAsync(cancellationToken);
        return events.ToDictionary(e => e.Id);
    }

    private string Decrypt(string protectedSecret) =>
        _plainSecrets.GetOrAdd(protectedSecret, secrets.Unprotect);
}
