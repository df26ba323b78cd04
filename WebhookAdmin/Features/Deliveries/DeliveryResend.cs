using Microsoft.EntityFrameworkCore;
using WebhookAdmin.Data;
using WebhookAdmin.Features.Accounts;

namespace WebhookAdmin.Features.Deliveries;

public enum ResendOutcome { Started, NotFound, WebhookDeleted, InFlight }

/// <summary>
/// "Send this delivery again", as the API and the delivery page both ask for it: only a delivery the person
/// may see, only while its webhook exists, and never while an attempt of it is in flight.
/// </summary>
public sealed class DeliveryResend(DeliveryQueries deliveries, IDbContextFactory<AppDbContext> dbFactory, ManualDelivery manual)
{
    public async Task<ResendOutcome> ResendAsync(CurrentUser user, long id, CancellationToken cancellationToken)
    {
        if (await deliveries.GetAsync(user, id, cancellationToken) is not { } delivery) return ResendOutcome.NotFound;
        // An administrator still sees the log of a deleted webhook, but there is nowhere left to send it.
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
            if (!await db.Webhooks.AnyAsync(w => w.Id == delivery.WebhookId, cancellationToken)) return ResendOutcome.WebhookDeleted;
        return await manual.TryStartResendAsync(id, cancellationToken) ? ResendOutcome.Started : ResendOutcome.InFlight;
    }
}
