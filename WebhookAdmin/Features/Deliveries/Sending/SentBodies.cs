using System.Text;
using Microsoft.EntityFrameworkCore;
using WebhookAdmin.Data;
using WebhookAdmin.Features.Webhooks;

namespace WebhookAdmin.Features.Deliveries.Sending;

/// <summary>
/// The exact bytes each attempt sent, reproduced rather than stored: a body is written only from the event (with
/// the names it was published under) and the webhook revision the attempt records, and <see cref="PayloadWriter"/>
/// is deterministic, so writing it again gives the same bytes the receiver got and signed over. Attempts made
/// before revisions were kept have no recorded body.
/// </summary>
public sealed class SentBodies
{
    private readonly Dictionary<int, string> _byRevision;

    private SentBodies(Dictionary<int, string> byRevision, string latest)
    {
        _byRevision = byRevision;
        Latest = latest;
    }

    /// <summary>The last attempt's body, or the body as the next attempt would send it.</summary>
    public string Latest { get; }

    public string? Of(DeliveryAttempt attempt) =>
        attempt.WebhookRevision is { } revision && _byRevision.TryGetValue(revision, out var body) ? body : null;

    public static async Task<SentBodies> ForAsync(AppDbContext db, Delivery delivery, IReadOnlyList<DeliveryAttempt> attempts,
        CancellationToken cancellationToken)
    {
        var evt = await EventSnapshots.Query(db, [delivery.EventId]).FirstAsync(cancellationToken);
        // A deleted webhook's log stays readable: its revisions are there, the query filter is not wanted here.
        var current = await db.Webhooks.IgnoreQueryFilters().AsNoTracking().Where(w => w.Id == delivery.WebhookId)
            .Select(w => w.Revision).FirstAsync(cancellationToken);
        var wanted = attempts.Select(a => a.WebhookRevision).OfType<int>().Append(current).Distinct().ToList();
        var revisions = await db.WebhookRevisions.AsNoTracking()
            .Where(r => r.WebhookId == delivery.WebhookId && wanted.Contains(r.Revision)).ToListAsync(cancellationToken);

        var byRevision = revisions.ToDictionary(r => r.Revision, r => Write(r, evt));
        var latest = attempts.Count > 0 && attempts[^1].WebhookRevision is { } last && byRevision.TryGetValue(last, out var sent)
            ? sent
            : byRevision.GetValueOrDefault(current) ?? Write(await CurrentAsync(db, delivery.WebhookId, cancellationToken), evt);
        return new SentBodies(byRevision, latest);
    }

    private static string Write(WebhookRevision r, EventSnapshot evt) => Encoding.UTF8.GetString(PayloadWriter.Write(
        new WebhookSnapshot(r.WebhookId, r.Uid, r.Url, r.Enabled, r.Status, r.Events, r.ProjectIds, [], r.Revision), evt));

    /// <summary>For a webhook whose revision row is missing (made before revisions were kept): as it stands now.</summary>
    private static async Task<WebhookRevision> CurrentAsync(AppDbContext db, string webhookId, CancellationToken cancellationToken)
    {
        var w = await db.Webhooks.IgnoreQueryFilters().AsNoTracking().FirstAsync(w => w.Id == webhookId, cancellationToken);
        return w.CurrentRevision(w.UpdatedAt);
    }
}
