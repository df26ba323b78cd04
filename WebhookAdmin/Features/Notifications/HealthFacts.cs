using Microsoft.EntityFrameworkCore;
using WebhookAdmin.Data;
using WebhookAdmin.Features.Deliveries;
using WebhookAdmin.Features.Deliveries.Reasons;
using WebhookAdmin.Features.Webhooks;

namespace WebhookAdmin.Features.Notifications;

/// <summary>What a notice says about its webhook, read once the change is committed.</summary>
public sealed record HealthFacts(
    WebhookResponse Webhook, string OwnerEmail, string OwnerLanguage, bool OwnerWantsEmails,
    int Held, int? MostAttemptsMade, string? LastError, PlainReason? LastErrorReason);

/// <summary>Reads <see cref="HealthFacts"/>: the webhook as the API shows it, its owner's choices, what waits for it.</summary>
public sealed class HealthFactsReader(IDbContextFactory<AppDbContext> dbFactory)
{
    /// <summary>Null when the webhook was deleted (or its owner) before the notice got here: nobody is told about it.</summary>
    public async Task<HealthFacts?> ReadAsync(string webhookId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var webhook = await db.Webhooks.AsNoTracking().Include(w => w.Owner).SingleOrDefaultAsync(w => w.Id == webhookId, cancellationToken);
        if (webhook?.Owner is not { } owner) return null;

        var held = await db.Deliveries.CountAsync(d => d.WebhookId == webhookId && d.Status == DeliveryStatus.Held, cancellationToken);
        var mostAttempts = await db.Deliveries
            .Where(d => d.WebhookId == webhookId && (d.Status == DeliveryStatus.Pending || d.Status == DeliveryStatus.Delivering))
            .MaxAsync(d => (int?)d.ScheduledAttempts, cancellationToken);
        var lastFailure = await db.Attempts.AsNoTracking()
            .Where(a => a.WebhookId == webhookId && !a.Succeeded)
            .OrderByDescending(a => a.Id)
            .Select(a => new { a.Error, a.ErrorReason })
            .FirstOrDefaultAsync(cancellationToken);
        return new HealthFacts(WebhookResponse.From(webhook), owner.Email ?? "", owner.Language ?? "en", !owner.NotificationEmailsOff,
            held, mostAttempts, lastFailure?.Error, lastFailure?.ErrorReason);
    }
}
