using System.Collections.Concurrent;

namespace WebhookAdmin.Features.Deliveries.Outbox;

/// <summary>
/// Webhooks disabled or deleted since their deliveries were claimed. Deliveries still waiting in memory
/// for such a webhook are not sent: they go back to <c>held</c> (disabled) or become <c>skipped</c> (deleted).
/// </summary>
public sealed class WebhookGate
{
    private readonly ConcurrentDictionary<string, DeliveryStatus> _closed = new();

    public void Disabled(string webhookId) => _closed[webhookId] = DeliveryStatus.Held;

    public void Deleted(string webhookId) => _closed[webhookId] = DeliveryStatus.Skipped;

    public void Enabled(string webhookId) => _closed.TryRemove(webhookId, out _);

    /// <summary>Null while the webhook may receive; otherwise what its waiting deliveries become.</summary>
    public DeliveryStatus? ClosedAs(string webhookId) => _closed.TryGetValue(webhookId, out var status) ? status : null;
}
