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
