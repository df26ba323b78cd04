using System.Text.Json;
using System.Text.Json.Serialization;
using WebhookAdmin.Features.Deliveries.Reasons;
using WebhookAdmin.Features.Webhooks.Filters;

namespace WebhookAdmin.Features.Webhooks;

// The reasons' parts are for the pages (the reader's language); API clients keep reading the English text beside them.

public sealed record WebhookMetadata(IReadOnlyList<string> Events, IReadOnlyList<string> ProjectIds);

/// <summary>A webhook on the wire. Never carries the secret.</summary>
public sealed record WebhookResponse(
    string Id, string Uid, string? Name, string Url, string Status, bool Enabled,
    IReadOnlyList<string> Events, IReadOnlyList<string> ProjectIds, WebhookMetadata Metadata,
    string? DisabledReason, DateTime? DisabledAt, string OwnerId,
    DateTime? LastSuccessAt, DateTime? LastFailureAt, int ConsecutiveFailures,
    DateTime CreatedAt, DateTime UpdatedAt,
    [property: JsonIgnore] PlainReason? DisabledBecause = null,
    RecordFilter? Filter = null)
{
    public static string StatusName(WebhookStatus status) => status == WebhookStatus.Healthy ? "HEALTHY" : "UNHEALTHY";

    public static WebhookResponse From(Webhook w) => new(
        w.Id, w.Uid, w.Name, w.Url, StatusName(w.Status), w.Enabled,
        w.Events, w.ProjectIds, new WebhookMetadata(w.Events, w.ProjectIds),
        w.DisabledReason, w.DisabledAt, w.OwnerId,
        w.LastSuccessAt, w.LastFailureAt, w.ConsecutiveFailures,
        w.CreatedAt, w.UpdatedAt, w.DisabledBecause, RecordFilterRules.FromJson(w.FilterJson));
}

/// <summary>The answer to create: the webhook plus its secret, shown this once.</summary>
public sealed record CreatedWebhookResponse(
    string Id, string Uid, string? Name, string Url, string Status, bool Enabled,
    IReadOnlyList<string> Events, IReadOnlyList<string> ProjectIds, WebhookMetadata Metadata,
    string? DisabledReason, DateTime CreatedAt, DateTime UpdatedAt, string Secret, RecordFilter? Filter)
{
    public static CreatedWebhookResponse From(WebhookResponse w, string secret) => new(
        w.Id, w.Uid, w.Name, w.Url, w.Status, w.Enabled, w.Events, w.ProjectIds, w.Metadata,
        w.DisabledReason, w.CreatedAt, w.UpdatedAt, secret, w.Filter);
}

public sealed record CreateWebhookRequest(string? Url, string? Name, string[]? Events, string[]? ProjectIds)
{
    /// <summary>
    /// Raw JSON so that a malformed one gets a 400 naming its condition. A property, not a parameter with a default:
    /// the OpenAPI document writes a parameter's default, and a default JsonElement cannot be written (it answered 500).
    /// </summary>
    public JsonElement Filter { get; init; }
}

/// <summary>
/// Fields left out (or null) keep their value; lists replace the old list. <see cref="Filter"/> is the exception.
/// </summary>
public sealed record UpdateWebhookRequest(string? Name, string? Url, string[]? Events, string[]? ProjectIds)
{
    /// <summary>Left out keeps it, null removes it (<see cref="JsonValueKind.Undefined"/> and <see cref="JsonValueKind.Null"/>); see <see cref="CreateWebhookRequest.Filter"/>.</summary>
    public JsonElement Filter { get; init; }
}

public sealed record EnableWebhookRequest(bool? ReplayHeld);

public sealed record HealthCheckResult(bool Ok, int? StatusCode, string? Error, double DurationMs,
    [property: JsonIgnore] PlainReason? ErrorReason = null);

public sealed record EnableWebhookResponse(WebhookResponse Webhook, HealthCheckResult HealthCheck, int Released);

public sealed record RotateSecretRequest(string? Overlap);

public sealed record RotateSecretResponse(string Secret, DateTime? PreviousSecretExpiresAt);

public sealed record TestWebhookRequest(string? Event);

public sealed record TestWebhookResponse(bool Ok, int? StatusCode, double DurationMs, string? Error, string? ResponseBody, long DeliveryId,
    [property: JsonIgnore] PlainReason? ErrorReason = null);

public sealed record WebhookHealthResponse(
    string Status, bool Enabled, double? SuccessRate24h, int Attempts24h, double? P50Ms, double? P95Ms,
    DateTime? LastSuccessAt, DateTime? LastFailureAt, int ConsecutiveFailures, int Pending, int Held,
    string? DisabledReason, DateTime? OldestPendingAt, int AwaitingReplay);
