using System.Text.Json;

namespace WebhookAdmin.Features.Deliveries;

public sealed record DeliveryResponse(
    long Id, string WebhookId, string EventId, string Event, string? ProjectId, string Status, int Attempts,
    DateTime? NextAttemptAt, DateTime CreatedAt, DateTime? DeliveredAt,
    DateTime? LastAttemptAt, int? LastStatusCode, string? LastError);

public sealed record AttemptResponse(
    int Number, DateTime StartedAt, double DurationMs, int? StatusCode, bool Succeeded, string? Error,
    IReadOnlyDictionary<string, string>? RequestHeaders, IReadOnlyDictionary<string, string>? ResponseHeaders,
    string? ResponseBody, string Trigger, string? RequestBody);

public sealed record DeliveryDetailResponse(
    long Id, string WebhookId, string EventId, string Event, string? ProjectId, string Status, int Attempts,
    DateTime? NextAttemptAt, DateTime CreatedAt, DateTime? DeliveredAt,
    DateTime? LastAttemptAt, int? LastStatusCode, string? LastError,
    JsonElement Payload, IReadOnlyList<AttemptResponse> AttemptLog);
