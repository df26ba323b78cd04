using WebhookAdmin.Features.Deliveries.Reasons;
using WebhookAdmin.Features.Deliveries.Sending;

namespace WebhookAdmin.Features.Deliveries.Outbox;

/// <summary>Which statement of <see cref="OutboxSql"/> records a delivery's outcome.</summary>
public enum Outcome
{
    /// <summary>2xx.</summary>
    Delivered,
    /// <summary>Back to the outbox for a later try (held or skipped instead if its webhook closed meanwhile).</summary>
    Retry,
    Failed,
    /// <summary>A resend failed: the status it had before.</summary>
    Restored,
    /// <summary>Not sent at all: handed back.</summary>
    Released,
}

public sealed record DeliveryUpdate(
    long DeliveryId, string Lease, Outcome Outcome, int Attempts, int ScheduledAttempts, DateTime? NextAttemptAt,
    DateTime? LastAttemptAt, int? LastStatusCode, PlainReason? LastError,
    DeliveryStatus RestoreTo = DeliveryStatus.Pending, bool AwaitsReplay = false, double? FirstDeliveryLatency = null);

public sealed record HealthUpdate(
    string WebhookId, DateTime LastAttemptAt, DateTime? LastSuccessAt, DateTime? LastFailureAt,
    bool ResetFailures, int FailuresAfterReset);

public sealed record WebhookDisable(string WebhookId, PlainReason Reason);

public sealed record BatchPlan(
    DateTime Now, List<DeliveryAttempt> Attempts, List<DeliveryUpdate> Deliveries, List<HealthUpdate> Health,
    List<WebhookDisable> Disables);

/// <summary>
/// Decides, for a batch of outcomes, each delivery's next state, each webhook's health and which webhooks
/// to disable. Pure apart from the clock and the jitter source, so every rule is unit-tested directly:
/// <list type="bullet">
/// <item>2xx: delivered.</item>
/// <item>scheduled failure with budget left: retried at the retry time (the database turns that into held or
/// skipped when the webhook was disabled or deleted meanwhile).</item>
/// <item>last scheduled failure: failed, marked for replay, and the webhook is disabled; its other pending
/// deliveries are held.</item>
/// <item>410 Gone: the webhook is disabled at once and the delivery held.</item>
/// <item>resend failure: the delivery returns to the state it had; test and health-check failures: failed.</item>
/// <item>not sent: handed back to the outbox, or failed if it was a test send or health check.</item>
/// </list>
/// Whether a webhook is enabled is not an input: the statements read it from the row in their transaction.
/// </summary>
public sealed class OutcomePlanner(RetryPolicy policy, TimeProvider time, OutboxInstance? instance = null)
{
    public Random Random { get; init; } = Random.Shared;

    public BatchPlan Plan(IReadOnlyList<RecordItem> batch)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var attempts = new List<DeliveryAttempt>();
        var deliveries = new List<DeliveryUpdate>(batch.Count);
        var health = new Dictionary<string, HealthUpdate>();
        var disables = new Dictionary<string, WebhookDisable>();

        foreach (var item in batch)
        {
            if (item is NotSent notSent)
            {
                deliveries.Add(new DeliveryUpdate(notSent.DeliveryId, notSent.Lease, Outcome.Released, 0, 0, null, null, null, notSent.Reason));
                continue;
            }

            var (work, result) = (AttemptMade)item;
            var webhookId = work.Webhook.Id;
            attempts.Add(ToAttempt(work, result));
            health[webhookId] = Accumulate(health.GetValueOrDefault(webhookId), webhookId, result);
            deliveries.Add(Decide(work, result, now, out var disableReason));
            // The first reason of the batch names the webhook's disable; the statement leaves an already disabled one alone.
            if (disableReason is not null) disables.TryAdd(webhookId, new WebhookDisable(webhookId, disableReason));
        }
        // Webhook rows in one order (their ids) in every batch: two instances writing the same webhooks' health at once
        // then wait for each other instead of deadlocking (PostgreSQL 40P01). A disable's webhook is among them already.
        return new BatchPlan(now, attempts, deliveries, health.Values.OrderBy(h => h.WebhookId, StringComparer.Ordinal).ToList(),
            disables.Values.OrderBy(d => d.WebhookId, StringComparer.Ordinal).ToList());
    }

    private DeliveryUpdate Decide(DeliveryWork work, AttemptResult result, DateTime now, out PlainReason? disableReason)
    {
        disableReason = null;
        var scheduled = work.ScheduledAttemptsBefore + (work.Kind == AttemptKind.Scheduled ? 1 : 0);
        DeliveryUpdate With(Outcome outcome, DateTime? next = null) => new(work.DeliveryId, work.Lease, outcome, work.AttemptNumber, scheduled,
            next, result.StartedAt, result.StatusCode, result.Error, work.StatusBefore);

        if (result.Succeeded)
            return With(Outcome.Delivered) with { FirstDeliveryLatency = FirstDeliveryLatency(work, result) };

        switch (work.Kind)
        {
            case AttemptKind.Resend:
                return With(Outcome.Restored);
            case AttemptKind.Test or AttemptKind.HealthCheck:
                return With(Outcome.Failed);
        }

        if (result.Gone)
        {
            disableReason = Because.Gone(now);
            // Back to the outbox: the disable in the same transaction then holds it with the webhook's other pending deliveries.
            return With(Outcome.Retry, now);
        }
        if (policy.IsExhausted(scheduled))
        {
            disableReason = Because.FailedInARow(now, work.Event.Type, scheduled, result.Error);
            // Re-enabling with replay sends it again: nothing is dropped.
            return With(Outcome.Failed) with { AwaitsReplay = true };
        }
        return With(Outcome.Retry, policy.NextAttemptAt(now, scheduled, result.RetryAfter, Random));
    }

    /// <summary>
    /// Seconds from the event's acceptance to this 2xx, when this makes the delivery delivered for the first time: not
    /// for a resend of one already delivered, nor for a test send or health check, which nobody published.
    /// </summary>
    private static double? FirstDeliveryLatency(DeliveryWork work, AttemptResult result)
    {
        if (work.IsDirected || work.StatusBefore == DeliveryStatus.Delivered || work.Event.ReceivedAt == default) return null;
        var answeredAt = result.StartedAt.AddMilliseconds(result.DurationMs);
        return Math.Max(0, (answeredAt - work.Event.ReceivedAt).TotalSeconds);
    }

    private static HealthUpdate Accumulate(HealthUpdate? so, string webhookId, AttemptResult result)
    {
        var at = result.StartedAt;
        so ??= new HealthUpdate(webhookId, at, null, null, false, 0);
        return result.Succeeded
            ? so with { LastAttemptAt = Max(so.LastAttemptAt, at), LastSuccessAt = Max(so.LastSuccessAt, at), ResetFailures = true, FailuresAfterReset = 0 }
            : so with { LastAttemptAt = Max(so.LastAttemptAt, at), LastFailureAt = Max(so.LastFailureAt, at), FailuresAfterReset = so.FailuresAfterReset + 1 };
    }

    private static DateTime Max(DateTime? a, DateTime b) => a is { } x && x > b ? x : b;

    private DeliveryAttempt ToAttempt(DeliveryWork work, AttemptResult result) => new()
    {
        DeliveryId = work.DeliveryId,
        WebhookId = work.Webhook.Id,
        Number = work.AttemptNumber,
        StartedAt = result.StartedAt,
        DurationMs = Math.Round(result.DurationMs, 3),
        StatusCode = result.StatusCode,
        Succeeded = result.Succeeded,
        Error = result.ErrorText,
        ErrorReason = result.Error,
        RequestHeaders = result.RequestHeaders,
        ResponseHeaders = result.ResponseHeaders,
        ResponseBody = result.ResponseBody,
        Trigger = work.Trigger,
        WebhookRevision = work.Webhook.Revision,
        Instance = instance?.Name,
    };
}
