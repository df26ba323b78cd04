namespace WebhookAdmin.Features.Deliveries.Sending;

/// <summary>
/// The webhooks as the sender needs them (address, what the payload says of them, secrets in clear). The
/// Webhooks feature provides it; the delivery engine only asks, so it depends on no Webhooks code.
/// </summary>
public interface IWebhookSnapshots
{
    /// <summary>The webhook as it stands now, or null when it was deleted (or never existed).</summary>
    ValueTask<WebhookSnapshot?> FindAsync(string webhookId, CancellationToken cancellationToken);
}
