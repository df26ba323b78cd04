using Microsoft.EntityFrameworkCore;
using WebhookAdmin.Data;
using WebhookAdmin.Features.Deliveries.Sending;

namespace WebhookAdmin.Features.Deliveries.Outbox;

/// <summary>
/// Turns claimed rows into work: the webhook as it stands now (<see cref="IWebhookSnapshots"/>, secrets in
/// clear), the event from the <see cref="EventCache"/> or, for older ones, the database.
/// </summary>
public sealed class WorkLoader(IWebhookSnapshots webhooks, EventCache events, IDbContextFactory<AppDbContext> dbFactory)
{
    /// <summary>
    /// The work for each row whose webhook still exists; rows of deleted webhooks are answered in
    /// <paramref name="orphans"/> so the caller can hand them back.
    /// </summary>
    public async Task<List<DeliveryWork>> LoadAsync(
        IReadOnlyList<ClaimedRow> rows, AttemptKind kind, List<ClaimedRow>? orphans, CancellationToken cancellationToken,
        TaskCompletionSource<AttemptResult>? completion = null)
    {
        var snapshots = await EventsAsync(rows.Select(r => r.EventId).Distinct(StringComparer.Ordinal), cancellationToken);
        var work = new List<DeliveryWork>(rows.Count);
        foreach (var row in rows)
        {
            if (await webhooks.FindAsync(row.WebhookId, cancellationToken) is not { } webhook || !snapshots.TryGetValue(row.EventId, out var evt))
            {
                orphans?.Add(row);
                continue;
            }
            work.Add(new DeliveryWork
            {
                DeliveryId = row.Id,
                Webhook = webhook,
                Event = evt,
                Kind = kind,
                AttemptNumber = row.Attempts + 1,
                ScheduledAttemptsBefore = row.ScheduledAttempts,
                StatusBefore = row.StatusBefore,
                Lease = row.Lease,
                Completion = completion,
            });
        }
        return work;
    }

    private async Task<Dictionary<string, EventSnapshot>> EventsAsync(IEnumerable<string> eventIds, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, EventSnapshot>(StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var id in eventIds)
        {
            if (events.TryGet(id, out var snapshot)) found[id] = snapshot;
            else missing.Add(id);
        }
        if (missing.Count == 0) return found;

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        foreach (var snapshot in await EventSnapshots.Query(db, missing).ToListAsync(cancellationToken))
            found[snapshot.Id] = snapshot;
        return found;
    }
}
