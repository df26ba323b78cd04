using WebhookAdmin.Features.Webhooks;

namespace WebhookAdmin.Features.Deliveries.Sending;

/// <summary>The webhook as it stood when its delivery was claimed, secrets decrypted (current first).</summary>
public sealed record WebhookSnapshot(
    string Id, string Uid, string Url, bool Enabled, WebhookStatus Status,
    IReadOnlyList<string> Events, IReadOnlyList<string> ProjectIds, IReadOnlyList<string> Secrets, int Revision);

/// <summary>
/// What the payload says about the event, with company and project names resolved; and, for the metrics and the
/// trace, when it was accepted and the trace it belongs to (W3C <c>traceparent</c>, null when it was not traced).
/// </summary>
public sealed record EventSnapshot(
    string Id, string Type, DateTime OccurredAt,
    string? CompanyId, string? CompanyName, string? ProjectId, string? ProjectName, string? ActorId,
    string? PreviousValueJson, string? CurrentValueJson, DateTime ReceivedAt = default, string? TraceParent = null,
    string? SubjectJson = null);

/// <summary>Why an attempt is made: it decides what a failure does to the delivery and the webhook.</summary>
public enum AttemptKind
{
    /// <summary>The outbox's own attempt: failures retry, the last one disables the webhook.</summary>
    Scheduled,
    /// <summary>A resend asked for by a person: one attempt, no retry, no disabling.</summary>
    Resend,
    /// <summary>"Send test event": one attempt of a sample event.</summary>
    Test,
    /// <summary>The signed <c>WEBHOOK_HEALTH_CHECK</c> that re-enabling runs.</summary>
    HealthCheck,
}

/// <summary>One delivery to send once, with what is needed to record the outcome.</summary>
public sealed class DeliveryWork
{
    public required long DeliveryId { get; init; }
    public required WebhookSnapshot Webhook { get; init; }
    public required EventSnapshot Event { get; init; }
    public required AttemptKind Kind { get; init; }

    /// <summary>1-based number of this attempt across all attempts of the delivery.</summary>
    public required int AttemptNumber { get; init; }

    /// <summary>Scheduled attempts made before this one (the retry budget).</summary>
    public required int ScheduledAttemptsBefore { get; init; }

    /// <summary>For a resend: the status to return to if it fails.</summary>
    public DeliveryStatus StatusBefore { get; init; } = DeliveryStatus.Pending;

    /// <summary>The lease the row was claimed under; every write after the attempt is fenced on it.</summary>
    public required string Lease { get; init; }

    /// <summary>A test send or health check: nobody replays it if it is not sent.</summary>
    public bool IsDirected => Kind is AttemptKind.Test or AttemptKind.HealthCheck;

    /// <summary>Set for attempts someone waits on (test, health check, resend); completed once the outcome is stored.</summary>
    public TaskCompletionSource<AttemptResult>? Completion { get; init; }

    public AttemptTrigger Trigger => Kind == AttemptKind.Scheduled ? AttemptTrigger.Scheduled : AttemptTrigger.Manual;
}
