namespace WebhookAdmin.Features.Deliveries.Replays;

/// <summary><c>POST /api/v1/webhooks/{id}/replay</c>: which deliveries to send again, or (<c>dryRun</c>) only how many.</summary>
public sealed record ReplayRequest(
    IReadOnlyList<string>? Status, DateTimeOffset? Since, DateTimeOffset? Until, string? Event, string? ProjectId, bool? DryRun);

public sealed record ReplayCountResponse(int Count);

public sealed record ReplayStartedResponse(string Id, int Count);

/// <summary>
/// A replay and its progress. <c>sent</c>: handed back to the outbox (which then sends them with its limits and retries);
/// <c>delivered</c>: of those, delivered since the replay started.
/// </summary>
public sealed record ReplayResponse(
    string Id, string WebhookId, int Count, int Sent, int Delivered, string State, IReadOnlyList<string> Status,
    DateTime Since, DateTime Until, string? Event, string? ProjectId, string RequestedBy, string? Error,
    DateTime CreatedAt, DateTime? StartedAt, DateTime? FinishedAt);
