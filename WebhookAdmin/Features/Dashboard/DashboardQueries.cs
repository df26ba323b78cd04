using Microsoft.EntityFrameworkCore;
using WebhookAdmin.Data;
using WebhookAdmin.Features.Accounts;
using WebhookAdmin.Features.Deliveries;
using WebhookAdmin.Features.Webhooks;

namespace WebhookAdmin.Features.Dashboard;

/// <summary>
/// The read-only figures of the dashboard and the webhook list, for what the user may see (their own
/// webhooks; administrators everything), over the same tables and visibility rules the API uses.
/// </summary>
public sealed class DashboardQueries(IDbContextFactory<AppDbContext> dbFactory, TimeProvider time)
{
    public const int Window = 24;
    public const int TopFailingCount = 5;

    public async Task<DashboardSummary> SummaryAsync(CurrentUser user, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var since = HourStart(now).AddHours(1 - Window);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);

        var webhooks = WebhookService.Visible(db, user).AsNoTracking();
        var disabled = await webhooks.CountAsync(w => !w.Enabled, cancellationToken);
        var failing = await webhooks.CountAsync(w => w.Enabled && (w.ConsecutiveFailures > 0 || w.Status == WebhookStatus.Unhealthy), cancellationToken);
        var total = await webhooks.CountAsync(cancellationToken);

        var deliveries = DeliveryQueries.Visible(db, user).AsNoTracking();
        var created = await deliveries.Where(d => d.CreatedAt >= since)
            .Select(d => new { d.CreatedAt, d.Status })
            .GroupBy(d => new { d.CreatedAt.Date, d.CreatedAt.Hour, d.Status })
            .Select(g => new { g.Key.Date, g.Key.Hour, g.Key.Status, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var hours = Enumerable.Range(0, Window).Select(i => since.AddHours(i)).Select(hour =>
        {
            var rows = created.Where(r => r.Date.AddHours(r.Hour) == hour).ToList();
            return new HourBucket(hour,
                rows.Where(r => r.Status == DeliveryStatus.Delivered).Sum(r => r.Count),
                rows.Where(r => r.Status == DeliveryStatus.Failed).Sum(r => r.Count),
                rows.Where(r => Waiting(r.Status)).Sum(r => r.Count));
        }).ToList();

        var backlog = await deliveries
            .Where(d => d.Status == DeliveryStatus.Pending || d.Status == DeliveryStatus.Delivering || d.Status == DeliveryStatus.Held)
            .GroupBy(d => d.Status)
            .Select(g => new { Status = g.Key, Count = g.Count(), Oldest = g.Min(d => d.CreatedAt) })
            .ToListAsync(cancellationToken);

        return new DashboardSummary(
            now, total, total - failing - disabled, failing, disabled, hours,
            backlog.Where(b => b.Status != DeliveryStatus.Held).Sum(b => b.Count),
            backlog.Where(b => b.Status == DeliveryStatus.Held).Sum(b => b.Count),
            backlog.Count == 0 ? null : backlog.Min(b => b.Oldest),
            await TopFailingAsync(db, user, now.AddHours(-Window), cancellationToken));
    }

    /// <summary>Success rate of the last 24 hours per webhook (the same figure as the health panel), for one page of a list.</summary>
    public async Task<Dictionary<string, AttemptStats>> AttemptStatsAsync(IReadOnlyCollection<string> webhookIds, CancellationToken cancellationToken)
    {
        if (webhookIds.Count == 0) return [];
        var since = time.GetUtcNow().UtcDateTime.AddHours(-Window);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Attempts.AsNoTracking()
            .Where(a => webhookIds.Contains(a.WebhookId) && a.StartedAt >= since)
            .GroupBy(a => a.WebhookId)
            .Select(g => new AttemptStats(g.Key, g.Count(), g.Count(a => a.Succeeded)))
            .ToDictionaryAsync(s => s.WebhookId, cancellationToken);
    }

    /// <summary>The most recent attempts of one webhook, oldest first (a chart reads left to right); empty when not visible.</summary>
    public async Task<IReadOnlyList<RecentAttempt>> RecentAttemptsAsync(CurrentUser user, string webhookId, int count, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await WebhookService.Visible(db, user).AnyAsync(w => w.Id == webhookId, cancellationToken)) return [];
        var rows = await db.Attempts.AsNoTracking().Where(a => a.WebhookId == webhookId)
            .OrderByDescending(a => a.StartedAt).ThenByDescending(a => a.Id).Take(count)
            .Select(a => new RecentAttempt(a.StartedAt, a.DurationMs, a.Succeeded, a.StatusCode))
            .ToListAsync(cancellationToken);
        rows.Reverse();
        return rows;
    }

    private static async Task<IReadOnlyList<FailingWebhook>> TopFailingAsync(AppDbContext db, CurrentUser user, DateTime since, CancellationToken cancellationToken)
    {
        var visible = WebhookService.Visible(db, user).Select(w => w.Id);
        var failures = await db.Attempts.AsNoTracking()
            .Where(a => a.StartedAt >= since && visible.Contains(a.WebhookId))
            .GroupBy(a => a.WebhookId)
            .Select(g => new { WebhookId = g.Key, Attempts = g.Count(), Failed = g.Count(a => !a.Succeeded) })
            .Where(g => g.Failed > 0)
            .OrderByDescending(g => g.Failed).Take(TopFailingCount)
            .ToListAsync(cancellationToken);
        if (failures.Count == 0) return [];
        var ids = failures.Select(f => f.WebhookId).ToList();
        var webhooks = await db.Webhooks.AsNoTracking().Where(w => ids.Contains(w.Id)).ToDictionaryAsync(w => w.Id, cancellationToken);
        return failures.Where(f => webhooks.ContainsKey(f.WebhookId)).Select(f =>
        {
            var w = webhooks[f.WebhookId];
            return new FailingWebhook(w.Id, w.Name, w.Url, w.Enabled, WebhookResponse.StatusName(w.Status), w.ConsecutiveFailures, f.Failed, f.Attempts, w.LastFailureAt);
        }).ToList();
    }

    private static bool Waiting(DeliveryStatus status) =>
        status is DeliveryStatus.Pending or DeliveryStatus.Delivering or DeliveryStatus.Held;

    private static DateTime HourStart(DateTime utc) => new(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, DateTimeKind.Utc);
}

public sealed record DashboardSummary(
    DateTime Now, int Webhooks, int Healthy, int Failing, int Disabled, IReadOnlyList<HourBucket> Hours,
    int Pending, int Held, DateTime? OldestWaitingAt, IReadOnlyList<FailingWebhook> TopFailing)
{
    public int Delivered => Hours.Sum(h => h.Delivered);
    public int Failed => Hours.Sum(h => h.Failed);
    public int Waiting => Hours.Sum(h => h.Waiting);
}

/// <summary>Deliveries created in one hour (UTC start), by where they stand now.</summary>
public sealed record HourBucket(DateTime HourUtc, int Delivered, int Failed, int Waiting);

public sealed record FailingWebhook(
    string Id, string? Name, string Url, bool Enabled, string Status, int ConsecutiveFailures, int FailedAttempts, int Attempts, DateTime? LastFailureAt);

public sealed record AttemptStats(string WebhookId, int Attempts, int Succeeded)
{
    public double SuccessRate => Attempts == 0 ? 0 : Math.Round(100.0 * Succeeded / Attempts, 1);
}

public sealed record RecentAttempt(DateTime StartedAt, double DurationMs, bool Succeeded, int? StatusCode);
