using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using WebhookAdmin.Data;
using WebhookAdmin.Features.Accounts;
using WebhookAdmin.Features.Common;
using WebhookAdmin.Features.Deliveries.Sending;

namespace WebhookAdmin.Features.Deliveries;

/// <summary>Reads the delivery log: server-paged lists (newest first) and one delivery with its attempts.</summary>
public sealed class DeliveryQueries(IDbContextFactory<AppDbContext> dbFactory)
{
    public static IQueryable<Delivery> Visible(AppDbContext db, CurrentUser user) =>
        user.SeesEverything ? db.Deliveries : db.Deliveries.Where(d => d.Webhook!.OwnerId == user.Id);

    public async Task<Paged<DeliveryResponse>> ListAsync(CurrentUser user, DeliveryFilter filter, PageRequest page, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = Filtered(db, user, filter);
        var total = await query.CountAsync(cancellationToken);
        // Never ask for more rows than the count found: a filter SQLite answers by walking the log newest first
        // (a time range alone) then stops at its last match instead of reading on to the oldest delivery.
        var take = Math.Min(page.Take, total - page.Skip);
        if (take <= 0) return new Paged<DeliveryResponse>([], PageInfo.For(total, page));
        var items = await query.OrderByDescending(d => d.Id).Skip(page.Skip).Take(take)
            .Select(d => new DeliveryResponse(d.Id, d.WebhookId, d.EventId, d.EventType, d.ProjectId,
                DeliveryStatusNames.ToName(d.Status), d.Attempts, d.NextAttemptAt, d.CreatedAt, d.DeliveredAt,
                d.LastAttemptAt, d.LastStatusCode, d.LastError, d.LastErrorReason))
            .ToListAsync(cancellationToken);
        return new Paged<DeliveryResponse>(items, PageInfo.For(total, page));
    }

    public async Task<DeliveryDetailResponse?> GetAsync(CurrentUser user, long id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var delivery = await Visible(db, user).AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (delivery is null) return null;

        var attempts = await db.Attempts.AsNoTracking().Where(a => a.DeliveryId == id).OrderBy(a => a.Number).ToListAsync(cancellationToken);
        var bodies = await SentBodies.ForAsync(db, delivery, attempts, cancellationToken);
        using var payload = JsonDocument.Parse(bodies.Latest);
        return new DeliveryDetailResponse(delivery.Id, delivery.WebhookId, delivery.EventId, delivery.EventType, delivery.ProjectId,
            delivery.Status.ToName(), delivery.Attempts, delivery.NextAttemptAt, delivery.CreatedAt, delivery.DeliveredAt,
            delivery.LastAttemptAt, delivery.LastStatusCode, delivery.LastError,
            payload.RootElement.Clone(), attempts.Select(a => ToResponse(a, bodies.Of(a))).ToList(), delivery.LastErrorReason);
    }

    /// <summary>The log's rows for one person and filter (unordered); public so a test can check its query plan.</summary>
    public static IQueryable<Delivery> Filtered(AppDbContext db, CurrentUser user, DeliveryFilter filter) =>
        Apply(Visible(db, user).AsNoTracking(), filter);

    private static IQueryable<Delivery> Apply(IQueryable<Delivery> query, DeliveryFilter filter)
    {
        if (filter.WebhookId is { } webhookId) query = query.Where(d => d.WebhookId == webhookId);
        if (filter.Status is { } status) query = query.Where(d => d.Status == status);
        if (filter.EventType is { } type) query = query.Where(d => d.EventType == type);
        if (filter.ProjectId is { } projectId) query = query.Where(d => d.ProjectId == projectId);
        if (filter.Since is { } since) query = query.Where(d => d.CreatedAt >= since);
        if (filter.Until is { } until) query = query.Where(d => d.CreatedAt <= until);
        if (filter.EventId is { } eventId) query = query.Where(d => d.EventId == eventId);
        return query;
    }

    private static AttemptResponse ToResponse(DeliveryAttempt a, string? requestBody) => new(
        a.Number, a.StartedAt, a.DurationMs, a.StatusCode, a.Succeeded, a.Error,
        ParseHeaders(a.RequestHeaders), ParseHeaders(a.ResponseHeaders), a.ResponseBody,
        a.Trigger == AttemptTrigger.Scheduled ? "scheduled" : "manual", requestBody, a.Instance, a.ErrorReason);

    private static Dictionary<string, string>? ParseHeaders(string? json) =>
        json is null ? null : JsonSerializer.Deserialize<Dictionary<string, string>>(json);
}
