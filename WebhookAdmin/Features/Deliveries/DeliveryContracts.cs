using System.Text.Json;
using System.Text.Json.Serialization;
using WebhookAdmin.Features.Deliveries.Reasons;

namespace WebhookAdmin.Features.Deliveries;

// The reasons' parts are for the pages (the reader's language); API clients keep reading the English text beside them.

public sealed record DeliveryResponse(
    long Id, string WebhookId, string EventId, string Event, string? ProjectId, string Status, int Attempts,
    DateTime? NextAttemptAt, DateTime CreatedAt, DateTime? DeliveredAt,
    DateTime? LastAttemptAt, int? LastStatusCode, string? LastError,
    [property: JsonIgnore] PlainReason? LastErrorReason = null);

public sealed record AttemptResponse(
    int Number, DateTime StartedAt, double DurationMs, int? StatusCode, bool Succeeded, string? Error,
    IReadOnlyDictionary<string, string>? RequestHeaders, IReadOnlyDictionary<string, string>? ResponseHeaders,
    string? ResponseBody, string Trigger, string? RequestBody, string? Instance,
    [property: JsonIgnore] PlainReason? ErrorReason = null);

public sealed record DeliveryDetailResponse(
    long Id, string WebhookId, string EventId, string Event, string? ProjectId, string Status, int Attempts,
    DateTime? NextAttemptAt, DateTime CreatedAt, DateTime? DeliveredAt,
    DateTime? LastAttemptAt, int? LastStatusCode, string? LastError,
    JsonElement Payload, IReadOnlyList<AttemptResponse> AttemptLog,
    [property: JsonIgnore] PlainReason? LastErrorReason = null);
