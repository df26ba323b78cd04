using WebhookAdmin.Features.Deliveries.Sending;
using WebhookAdmin.Features.Events;

namespace WebhookAdmin.Features.Deliveries.Outbox;

/// <summary>An event to store and the webhooks it goes to, as ingestion hands it to the outbox.</summary>
public sealed record OutboxEntry(EventRecord Event, EventSnapshot Snapshot, IReadOnlyList<OutboxTarget> Targets);

/// <summary>One delivery of an entry: to this webhook, held at once when the webhook is disabled.</summary>
public readonly record struct OutboxTarget(string WebhookId, bool Held);

public enum AppendOutcome
{
    Stored,
    /// <summary>An event id of the request was stored before (by an earlier or concurrent request).</summary>
    DuplicateEvent,
    /// <summary>A target webhook no longer exists (its owner was deleted after the match).</summary>
    WebhookGone,
}
