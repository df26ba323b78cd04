using WebhookAdmin.Features.Deliveries.Reasons;
using WebhookAdmin.Features.Deliveries.Sending;

namespace WebhookAdmin.Features.Deliveries.Outbox;

/// <summary>What the recorder stores: an attempt that was made, or a claimed delivery that was not sent.</summary>
public abstract record RecordItem;

public sealed record AttemptMade(DeliveryWork Work, AttemptResult Result) : RecordItem;

/// <summary>
/// A claimed delivery handed back without an attempt (its webhook closed meanwhile, shutdown, a caller that
/// stopped waiting). It returns to the outbox, or fails if it was a test send or health check.
/// </summary>
public sealed record NotSent(long DeliveryId, string Lease, PlainReason Reason) : RecordItem;
