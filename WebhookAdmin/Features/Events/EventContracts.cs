using System.Text.Json;

namespace WebhookAdmin.Features.Events;

/// <summary>An event as the host platform publishes it (<c>POST /api/v1/events</c>).</summary>
public sealed record PublishEventRequest(
    string? Id,
    string? Event,
    string? ProjectId,
    string? ActorId,
    DateTimeOffset? OccurredAt,
    JsonElement? PreviousValue,
    JsonElement? CurrentValue);

public sealed record PublishEventResponse(string Id, int Deliveries);

public sealed record PublishBatchResponse(int Accepted, int Deliveries, int Duplicates);

public sealed record EventTypeResponse(string Name, string Group, string Description);

/// <summary>
/// A health event to raise about the webhook <paramref name="WebhookId"/> of <paramref name="OwnerId"/>;
/// <paramref name="SubjectJson"/> is the body's <c>subject</c>, written by whoever raises it.
/// </summary>
public sealed record HealthEventRequest(string Event, string WebhookId, string OwnerId, string SubjectJson, DateTime OccurredAt);
