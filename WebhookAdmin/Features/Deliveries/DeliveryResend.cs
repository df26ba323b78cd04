using WebhookAdmin.Features.Accounts;
using WebhookAdmin.Features.Webhooks;

namespace WebhookAdmin.Features.Deliveries;

public enum ResendOutcome { Started, NotFound, WebhookDeleted, InFlight }

/// <summary>
/// "Send this delivery again", as the API and the delivery page both ask for it: only a delivery the person
/// may see, only while its webhook exists, and never while an attempt of it is in flight.
/// </summary>
public sealed class DeliveryResend(DeliveryQueries deliveries, WebhookService webhooks, ManualDelivery manual)
{
    public async Task<ResendOutcome> ResendAsync(CurrentUser user, long id, CancellationToken cancellationToken)
    {
        if (await deliveries.GetAsync(user, id, cancellationToken) is not { } delivery) return ResendOutcome.NotFound;
        // An administrator still sees the log of a deleted webhook, but there is nowhere left to send it.
        if (await webhooks.FindAsync(user, delivery.WebhookId, cancellationToken) is null) return ResendOutcome.WebhookDeleted;
        return await manual.TryStartResendAsync(id, cancellationToken) ? ResendOutcome.Started : ResendOutcome.InFlight;
    }
}
