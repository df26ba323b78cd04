using WebhookAdmin.Features.Deliveries.Sending;

namespace WebhookAdmin.Features.Deliveries.Outbox;

public sealed record DeliveryUpdate(
    long DeliveryId, DeliveryStatus Status, int? Attempts, int? ScheduledAttempts, DateTime? NextAttemptAt,
    DateTime? DeliveredAt, DateTime? LastAttemptAt, int? LastStatusCode, string? LastError);

public sealed record HealthUpdate(
    string WebhookId, DateTime LastAttemptAt, DateTime? LastSuccessAt, DateTime? LastFailureAt,
    bool ResetFailures, int FailuresAfterReset);

public sealed record WebhookDisable(string WebhookId, string Reason);

public sealed record BatchPlan(
    DateTime Now, List<DeliveryAttempt> Attempts, List<DeliveryUpdate> Deliveries, List<HealthUpdate> Health,
    List<WebhookDisable> Disables, DateTime? EarliestRetry);

/// <summary>
/// Decides, for a batch of outcomes, each delivery's next state, each webhook's health and which webhooks
/// to disable. Pure apart from the clock and the jitter source, so every rule is unit-tested directly:
/// <list type="bullet">
/// <item>2xx: delivered.</item>
/// <item>scheduled failure with budget left: pending at the retry time (held if the webhook is disabled).</item>
/// <item>last scheduled failure: failed, and the webhook is disabled; its other pending deliveries are held.</item>
/// <item>410 Gone: the webhook is disabled at once and the delivery held.</item>
/// <item>resend failure: the delivery returns to the state it had; test and health-check failures: failed.</item>
/// </list>
/// </summary>
public sealed class OutcomePlanner(RetryPolicy policy, TimeProvider time)
{
    public Random Random { get; init; } = Random.Shared;

    public BatchPlan Plan(IReadOnlyList<RecordItem> batch, IReadOnlyDictionary<string, bool> webhookEnabled)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var enabled = new Dictionary<string, bool>(webhookEnabled);
        var attempts = new List<DeliveryAttempt>();
        var deliveries = new List<DeliveryUpdate>(batch.Count);
        var health = new Dictionary<string, HealthUpdate>();
        var disables = new List<WebhookDisable>();
        DateTime? earliestRetry = null;

        foreach (var item in batch)
        {
            if (item is NotSent notSent)
            {
                deliveries.Add(new DeliveryUpdate(notSent.DeliveryId, notSent.Status, null, null, notSent.NextAttemptAt,
                    null, null, null, null));
                continue;
            }

            var (work, result) = (AttemptMade)item;
            var webhookId = work.Webhook.Id;
            attempts.Add(ToAttempt(work, result));
            health[webhookId] = Accumulate(health.GetValueOrDefault(webhookId), webhookId, result);

            var update = Decide(work, result, enabled.GetValueOrDefault(webhookId), now, out var disableReason);
            deliveries.Add(update);
            if (update.Status == DeliveryStatus.Pending && update.NextAttemptAt is { } next && (earliestRetry is null || next < earliestRetry))
                earliestRetry = next;
            if (disableReason is not null && enabled.GetValueOrDefault(webhookId))
            {
                enabled[webhookId] = false;
                disables.Add(new WebhookDisable(webhookId, disableReason));
            }
        }
        return new BatchPlan(now, attempts, deliveries, health.Values.ToList(), disables, earliestRetry);
    }

    private DeliveryUpdate Decide(DeliveryWork work, AttemptResult result, bool webhookEnabled, DateTime now, out string? disableReason)
    {
        disableReason = null;
        var scheduled = work.ScheduledAttemptsBefore + (work.Kind == AttemptKind.Scheduled ? 1 : 0);
        DeliveryUpdate With(DeliveryStatus status, DateTime? next) => new(work.DeliveryId, status, work.AttemptNumber, scheduled,
            next, result.Succeeded ? now : null, result.StartedAt, result.StatusCode, result.Error);

        if (result.Succeeded)
            return With(DeliveryStatus.Delivered, null);

        switch (work.Kind)
        {
            case AttemptKind.Resend:
                return With(work.StatusBefore, work.NextAttemptAtBefore);
            case AttemptKind.Test or AttemptKind.HealthCheck:
                return With(DeliveryStatus.Failed, null);
        }

        if (result.Gone)
        {
            disableReason = $"Disabled automatically on {Format(now)}: the receiver answered 410 Gone, which means the endpoint no longer exists.";
            return With(DeliveryStatus.Held, null);
        }
        if (policy.IsExhausted(scheduled))
        {
            disableReason = $"Disabled automatically on {Format(now)}: a {work.Event.Type} delivery failed {scheduled} times in a row. " +
                            $"Last error: {result.Error}.";
            return With(DeliveryStatus.Failed, null);
        }
        var retryAt = policy.NextAttemptAt(now, scheduled, result.RetryAfter, Random);
        return With(webhookEnabled ? DeliveryStatus.Pending : DeliveryStatus.Held, retryAt);
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

    private static DeliveryAttempt ToAttempt(DeliveryWork work, AttemptResult result) => new()
    {
        DeliveryId = work.DeliveryId,
        WebhookId = work.Webhook.Id,
        Number = work.AttemptNumber,
        StartedAt = result.StartedAt,
        DurationMs = Math.Round(result.DurationMs, 3),
        StatusCode = result.StatusCode,
        Succeeded = result.Succeeded,
        Error = result.Error,
        RequestHeaders = result.RequestHeaders,
        ResponseHeaders = result.ResponseHeaders,
        ResponseBody = result.ResponseBody,
        Trigger = work.Trigger,
    };

    private static string Format(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture);
}
