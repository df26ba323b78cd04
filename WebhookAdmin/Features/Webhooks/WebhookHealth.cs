using Microsoft.EntityFrameworkCore;
using WebhookAdmin.Data;
using WebhookAdmin.Features.Accounts;
using WebhookAdmin.Features.Common;
using WebhookAdmin.Features.Deliveries;

namespace WebhookAdmin.Features.Webhooks;

/// <summary>A webhook's health figures: success rate and latency of the last 24 hours, and its backlog.</summary>
public sealed class WebhookHealth(IDbContextFactory<AppDbContext> dbFactory, TimeProvider time)
{
    /// <summary>Latency percentiles come from the most recent attempts of the window, enough for a stable figure.</summary>
    public const int LatencySample = 1000;

    public async Task<ServiceResult<WebhookHealthResponse>> ForWebhookAsync(CurrentUser user, string id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var webhook = await WebhookService.Visible(db, user).AsNoTracking().FirstOrDefaultAsync(w => w.Id == id, cancellationToken);
        if (webhook is null) return new ServiceResult<WebhookHealthResponse>.NotFound();

        var since = time.GetUtcNow().UtcDateTime.AddHours(-24);
        var window = db.Attempts.Where(a => a.WebhookId == id && a.StartedAt >= since);
        var attempts = await window.CountAsync(cancellationToken);
        var succeeded = attempts == 0 ? 0 : await window.CountAsync(a => a.Succeeded, cancellationToken);
        var durations = await window.OrderByDescending(a => a.StartedAt).Take(LatencySample)
            .Select(a => a.DurationMs).ToListAsync(cancellationToken);

        var backlog = await db.Deliveries.Where(d => d.WebhookId == id &&
                (d.Status == DeliveryStatus.Pending || d.Status == DeliveryStatus.Held || d.Status == DeliveryStatus.Delivering))
            .GroupBy(d => d.Status)
            .Select(g => new { Status = g.Key, Count = g.Count(), Oldest = g.Min(d => d.CreatedAt) })
            .ToListAsync(cancellationToken);
        var pending = backlog.Where(b => b.Status != DeliveryStatus.Held).Sum(b => b.Count);
        var held = backlog.Where(b => b.Status == DeliveryStatus.Held).Sum(b => b.Count);
        DateTime? oldest = backlog.Count == 0 ? null : backlog.Min(b => b.Oldest);
        // Failed on the attempt that disabled the webhook: re-enabling with replay sends these too.
        var failedIntoDisable = await db.Deliveries.CountAsync(d => d.WebhookId == id && d.Status == DeliveryStatus.Failed && d.AwaitsReplay, cancellationToken);

        return new WebhookHealthResponse(
            WebhookResponse.StatusName(webhook.Status), webhook.Enabled,
            attempts == 0 ? null : Math.Round(100.0 * succeeded / attempts, 2), attempts,
            Percentile(durations, 0.50), Percentile(durations, 0.95),
            webhook.LastSuccessAt, webhook.LastFailureAt, webhook.ConsecutiveFailures, pending, held,
            webhook.DisabledReason, oldest, held + failedIntoDisable);
    }

    public static double? Percentile(List<double> values, double p)
    {
        if (values.Count == 0) return null;
        values.Sort();
        var rank = (int)Math.Ceiling(p * values.Count) - 1;
        return Math.Round(values[Math.Clamp(rank, 0, values.Count - 1)], 1);
    }
}
