using WebhookAdmin.Features.Deliveries.Sending;

namespace WebhookAdmin.Features.Deliveries.Outbox;

/// <summary>What the recorder stores: an attempt that was made, or a claimed delivery that was not sent.</summary>
public abstract record RecordItem;

public sealed record AttemptMade(DeliveryWork Work, AttemptResult Result) : RecordItem;

/// <summary>A claimed delivery that goes back without an attempt (webhook disabled or deleted meanwhile, shutdown).</summary>
public sealed record NotSent(long DeliveryId, DeliveryStatus Status, DateTime? NextAttemptAt) : RecordItem;
