using WebhookAdmin.Features.Events;

namespace WebhookAdmin.Features.Deliveries;

/// <summary>What the delivery log can be narrowed to; every field optional.</summary>
public sealed record DeliveryFilter(
    string? WebhookId = null, DeliveryStatus? Status = null, string? EventType = null, string? ProjectId = null,
    DateTime? Since = null, DateTime? Until = null, string? EventId = null)
{
    public static bool TryCreate(
        string? webhookId, string? status, string? eventType, string? projectId, DateTimeOffset? since, DateTimeOffset? until,
        string? eventId, out DeliveryFilter filter, out Dictionary<string, string[]> errors)
    {
        errors = [];
        DeliveryStatus? parsedStatus = null;
        if (!string.IsNullOrEmpty(status))
        {
            if (DeliveryStatusNames.TryParse(status, out var s)) parsedStatus = s;
            else errors["status"] = [$"status is one of {string.Join(", ", DeliveryStatusNames.All)}."];
        }
        if (!string.IsNullOrEmpty(eventType) && eventType != EventCatalog.HealthCheck && !EventCatalog.IsSubscribable(eventType))
            errors["event"] = [$"'{eventType}' is not a known event type."];
        if (since > until)
            errors["since"] = ["since must not be after until."];
        filter = new DeliveryFilter(webhookId, parsedStatus, NullIfEmpty(eventType), NullIfEmpty(projectId),
            since?.UtcDateTime, until?.UtcDateTime, NullIfEmpty(eventId));
        return errors.Count == 0;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
