using Microsoft.Extensions.Time.Testing;
using WebhookAdmin.Features.Deliveries;
using WebhookAdmin.Features.Deliveries.Outbox;
using WebhookAdmin.Features.Deliveries.Reasons;
using WebhookAdmin.Features.Deliveries.Sending;
using WebhookAdmin.Features.Webhooks;
using static WebhookAdmin.Tests.Features.Deliveries.RetryPolicyTests;

namespace WebhookAdmin.Tests.Features.Deliveries;

/// <summary>The rules that turn attempt outcomes into delivery states and webhook health, without a host.</summary>
public sealed class OutcomePlannerTests
{
    private static readonly DateTime Now = new(2026, 11, 26, 10, 0, 0, DateTimeKind.Utc);

    private readonly OutcomePlanner _planner =
        new(new RetryPolicy(new DeliveryOptions()), new FakeTimeProvider(new DateTimeOffset(Now))) { Random = new FixedRandom(0.5) };

    [Fact]
    public void A_2xx_delivers_and_resets_the_webhook_s_failure_streak()
    {
        var plan = _planner.Plan([Made(Work(1), Ok())]);

        var update = Assert.Single(plan.Deliveries);
        Assert.Equal(Outcome.Delivered, update.Outcome);
        Assert.Equal("lease-1", update.Lease);
        Assert.Null(update.NextAttemptAt);
        Assert.Equal(1, update.Attempts);
        var attempt = Assert.Single(plan.Attempts);
        Assert.True(attempt.Succeeded);
        Assert.Equal(AttemptTrigger.Scheduled, attempt.Trigger);
        var health = Assert.Single(plan.Health);
        Assert.True(health.ResetFailures);
        Assert.Equal(0, health.FailuresAfterReset);
        Assert.Empty(plan.Disables);
    }

    [Fact]
    public void A_failure_with_budget_left_waits_for_the_scheduled_retry()
    {
        var plan = _planner.Plan([Made(Work(1, scheduledBefore: 1), Fail(500))]);

        var update = Assert.Single(plan.Deliveries);
        Assert.Equal(Outcome.Retry, update.Outcome);
        Assert.Equal(Now.AddMinutes(1), update.NextAttemptAt);
        Assert.Equal(2, update.ScheduledAttempts);
        Assert.Equal(500, update.LastStatusCode);
        Assert.Equal("the receiver answered 500", update.LastError?.English());
        Assert.False(update.AwaitsReplay);
        Assert.Empty(plan.Disables);
        var health = Assert.Single(plan.Health);
        Assert.False(health.ResetFailures);
        Assert.Equal(1, health.FailuresAfterReset);
    }

    [Fact]
    public void A_Retry_After_answer_sets_the_retry_time_instead_of_the_schedule()
    {
        var plan = _planner.Plan([Made(Work(1), Fail(429, retryAfter: TimeSpan.FromSeconds(90)))]);
        Assert.Equal(Now.AddSeconds(90), Assert.Single(plan.Deliveries).NextAttemptAt);
    }

    [Fact]
    public void The_last_allowed_failure_fails_the_delivery_and_disables_the_webhook_saying_why()
    {
        var plan = _planner.Plan([Made(Work(1, scheduledBefore: 4), Fail(503, error: Because.Answered(503, "Service Unavailable")))]);

        var update = Assert.Single(plan.Deliveries);
        Assert.Equal(Outcome.Failed, update.Outcome);
        Assert.True(update.AwaitsReplay, "re-enabling with replay sends it again");
        Assert.Null(update.NextAttemptAt);
        Assert.Equal(5, update.ScheduledAttempts);
        var disable = Assert.Single(plan.Disables);
        Assert.Equal("wh1", disable.WebhookId);
        Assert.Equal("Disabled automatically on 2026-11-26 10:00 UTC: a TODO_CREATED delivery failed 5 times in a row. " +
                     "Last error: the receiver answered 503 Service Unavailable.", disable.Reason.English());
        Assert.Equal("Answered", disable.Reason.Cause?.Code);
    }

    [Fact]
    public void Gone_disables_the_webhook_at_once_and_sends_the_delivery_back_to_be_held_with_the_rest()
    {
        var plan = _planner.Plan([Made(Work(1), Fail(410))]);

        var update = Assert.Single(plan.Deliveries);
        Assert.Equal(Outcome.Retry, update.Outcome);
        Assert.Equal(Now, update.NextAttemptAt);
        Assert.Equal("Disabled automatically on 2026-11-26 10:00 UTC: the receiver answered 410 Gone, which means the endpoint no longer exists.",
            Assert.Single(plan.Disables).Reason.English());
    }

    [Fact]
    public void A_webhook_is_disabled_once_per_batch_and_every_exhausted_delivery_of_it_awaits_replay()
    {
        var plan = _planner.Plan(
        [
            Made(Work(1, scheduledBefore: 4), Fail(500)),
            Made(Work(2, scheduledBefore: 4), Fail(500)),
            Made(Work(3), Fail(500)),
            Made(Work(4, webhook: "wh2"), Fail(500)),
        ]);

        Assert.Equal("wh1", Assert.Single(plan.Disables).WebhookId);
        Assert.Equal([Outcome.Failed, Outcome.Failed, Outcome.Retry, Outcome.Retry], plan.Deliveries.Select(d => d.Outcome));
        Assert.Equal([true, true, false, false], plan.Deliveries.Select(d => d.AwaitsReplay));
    }

    [Fact]
    public void A_failed_resend_puts_the_delivery_back_as_it_was_and_costs_no_retry_budget()
    {
        var work = Work(1, scheduledBefore: 2, kind: AttemptKind.Resend, attemptNumber: 4, statusBefore: DeliveryStatus.Held);
        var plan = _planner.Plan([Made(work, Fail(500))]);

        var update = Assert.Single(plan.Deliveries);
        Assert.Equal(Outcome.Restored, update.Outcome);
        Assert.Equal(DeliveryStatus.Held, update.RestoreTo);
        Assert.Equal(4, update.Attempts);
        Assert.Equal(2, update.ScheduledAttempts);
        Assert.Equal(AttemptTrigger.Manual, Assert.Single(plan.Attempts).Trigger);
        Assert.Empty(plan.Disables);
    }

    [Fact]
    public void A_resend_of_an_exhausted_delivery_never_disables_the_webhook()
    {
        var work = Work(1, scheduledBefore: 5, kind: AttemptKind.Resend, attemptNumber: 6, statusBefore: DeliveryStatus.Failed);
        var plan = _planner.Plan([Made(work, Fail(410))]);

        Assert.Equal((Outcome.Restored, DeliveryStatus.Failed), (plan.Deliveries[0].Outcome, plan.Deliveries[0].RestoreTo));
        Assert.Empty(plan.Disables);
    }

    [Fact]
    public void A_successful_resend_delivers_a_failed_delivery()
    {
        var work = Work(1, scheduledBefore: 5, kind: AttemptKind.Resend, attemptNumber: 6, statusBefore: DeliveryStatus.Failed);
        Assert.Equal(Outcome.Delivered, Assert.Single(_planner.Plan([Made(work, Ok())]).Deliveries).Outcome);
    }

    [Theory]
    [InlineData(AttemptKind.Test)]
    [InlineData(AttemptKind.HealthCheck)]
    public void A_failed_test_or_health_check_is_failed_at_once_without_retry_or_disabling(AttemptKind kind)
    {
        var plan = _planner.Plan([Made(Work(1, kind: kind), Fail(410))]);

        var update = Assert.Single(plan.Deliveries);
        Assert.Equal(Outcome.Failed, update.Outcome);
        Assert.False(update.AwaitsReplay);
        Assert.Empty(plan.Disables);
    }

    [Fact]
    public void A_delivery_handed_back_unsent_is_released_under_its_lease_with_no_attempt_row()
    {
        var plan = _planner.Plan([new NotSent(7, "lease-7", Because.AppStopped)]);

        var update = Assert.Single(plan.Deliveries);
        Assert.Equal((7L, "lease-7", Outcome.Released), (update.DeliveryId, update.Lease, update.Outcome));
        Assert.Equal("not sent: the app stopped", update.LastError?.English());
        Assert.Empty(plan.Attempts);
        Assert.Empty(plan.Health);
    }

    [Fact]
    public void Health_counts_the_failures_after_the_last_success_in_the_batch()
    {
        var plan = _planner.Plan(
        [
            Made(Work(1), Fail(500, startedAt: Now.AddSeconds(-4))),
            Made(Work(2), Ok(startedAt: Now.AddSeconds(-3))),
            Made(Work(3), Fail(500, startedAt: Now.AddSeconds(-2))),
            Made(Work(4), Fail(500, startedAt: Now.AddSeconds(-1))),
        ]);

        var health = Assert.Single(plan.Health);
        Assert.True(health.ResetFailures);
        Assert.Equal(2, health.FailuresAfterReset);
        Assert.Equal(Now.AddSeconds(-3), health.LastSuccessAt);
        Assert.Equal(Now.AddSeconds(-1), health.LastFailureAt);
        Assert.Equal(Now.AddSeconds(-1), health.LastAttemptAt);
    }

    private static RecordItem Made(DeliveryWork work, AttemptResult result) => new AttemptMade(work, result);

    private static DeliveryWork Work(long id, int scheduledBefore = 0, AttemptKind kind = AttemptKind.Scheduled, string webhook = "wh1",
        int? attemptNumber = null, DeliveryStatus statusBefore = DeliveryStatus.Pending) => new()
        {
            DeliveryId = id,
            Webhook = new WebhookSnapshot(webhook, "wh_" + webhook, "https://example.com/hook", true, WebhookStatus.Healthy, [], [], ["whsec_c2VjcmV0"], 1),
            Event = new EventSnapshot("evt_" + id, "TODO_CREATED", Now, "acme", "Acme", "p1", "Website", null, null, null),
            Kind = kind,
            AttemptNumber = attemptNumber ?? scheduledBefore + 1,
            ScheduledAttemptsBefore = scheduledBefore,
            StatusBefore = statusBefore,
            Lease = "lease-" + id,
        };

    private static AttemptResult Ok(DateTime? startedAt = null) =>
        new(startedAt ?? Now, 12.5, 200, true, null, "{}", "{}", "ok", null);

    private static AttemptResult Fail(int status, PlainReason? error = null, TimeSpan? retryAfter = null, DateTime? startedAt = null) =>
        new(startedAt ?? Now, 12.5, status, false, error ?? Because.Answered(status, null), "{}", "{}", "broken", retryAfter);
}
