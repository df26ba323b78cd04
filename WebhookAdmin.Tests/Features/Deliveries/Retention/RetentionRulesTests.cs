using WebhookAdmin.Features.Deliveries;
using WebhookAdmin.Features.Deliveries.Outbox;
using static WebhookAdmin.Features.Deliveries.DeliveryStatus;

namespace WebhookAdmin.Tests.Features.Deliveries.Retention;

/// <summary>The purge's decisions on their own: which deliveries and revisions have expired, and how it paces itself.</summary>
public sealed class RetentionRulesTests
{
    private static readonly DateTime Now = new(2026, 12, 1, 12, 0, 0, DateTimeKind.Utc);
    private static readonly RetentionCutoffs Cutoffs = RetentionCutoffs.At(Now, new RetentionOptions());

    [Theory]
    [InlineData(Delivered, 29.9, false)]
    [InlineData(Delivered, 30.1, true)]
    [InlineData(Skipped, 30.1, true)]
    [InlineData(Failed, 30.1, false)]
    [InlineData(Failed, 89.9, false)]
    [InlineData(Failed, 90.1, true)]
    [InlineData(Pending, 1000, false)]
    [InlineData(Held, 1000, false)]
    [InlineData(Delivering, 1000, false)]
    public void A_delivery_expires_once_its_last_activity_is_older_than_its_status_s_period(DeliveryStatus status, double days, bool expired) =>
        Assert.Equal(expired, RetentionRules.Expired(status, Now.AddDays(-days), awaitsReplayOfLiveWebhook: false, Cutoffs));

    [Fact]
    public void A_failed_delivery_that_a_re_enable_would_replay_never_expires_while_its_webhook_exists() =>
        Assert.False(RetentionRules.Expired(Failed, Now.AddDays(-1000), awaitsReplayOfLiveWebhook: true, Cutoffs));

    [Fact]
    public void A_period_longer_than_the_calendar_keeps_everything_instead_of_overflowing()
    {
        var cutoffs = RetentionCutoffs.At(Now, new RetentionOptions { Period = TimeSpan.MaxValue, FailedPeriod = TimeSpan.MaxValue });
        Assert.False(RetentionRules.Expired(Delivered, DateTime.MinValue.AddDays(1), false, cutoffs));
    }

    [Fact]
    public void A_revision_goes_once_every_attempt_that_could_point_at_it_is_gone()
    {
        var margin = TimeSpan.FromHours(1);
        RevisionAge[] revisions =
        [
            new("a", 1, Now.AddDays(-40)),  // replaced long before the oldest attempt left
            new("a", 2, Now.AddDays(-10)),  // replaced after it: that attempt may point at it
            new("b", 1, Now.AddMinutes(-30)), // replaced half an hour ago: an attempt may still be in flight
            new("c", 1, Now.AddDays(-2)),   // no attempts left at all
            new("d", 1, null),              // never replaced (the caller never offers a current one)
        ];
        var oldest = new Dictionary<string, DateTime> { ["a"] = Now.AddDays(-20) };

        var gone = RetentionRules.UnreferencedRevisions(revisions, oldest, Now, margin).Select(r => $"{r.WebhookId}{r.Revision}");

        Assert.Equal(["a1", "c1"], gone);
    }

    [Fact]
    public void The_in_flight_margin_outlasts_the_lease() =>
        Assert.True(RetentionRules.InFlightMargin(TimeSpan.FromHours(2)) > TimeSpan.FromHours(2));

    [Fact]
    public void Batches_grow_while_they_are_quick_and_halve_when_one_holds_the_gate_too_long()
    {
        var pace = new PurgePace();
        for (var i = 0; i < 50; i++) pace.Observe(TimeSpan.FromMilliseconds(1), othersWriting: true);
        Assert.Equal(PurgePace.MaxBatch, pace.BatchSize);

        pace.Observe(TimeSpan.FromMilliseconds(20), othersWriting: true);
        Assert.Equal(PurgePace.MaxBatch / 2, pace.BatchSize);
        for (var i = 0; i < 50; i++) pace.Observe(TimeSpan.FromMilliseconds(50), othersWriting: true);
        Assert.Equal(PurgePace.MinBatch, pace.BatchSize);
    }

    [Fact]
    public void While_others_write_the_purge_rests_nine_times_as_long_as_it_held_the_gate_and_barely_when_alone()
    {
        var pace = new PurgePace();
        Assert.Equal(TimeSpan.FromMilliseconds(36), pace.Observe(TimeSpan.FromMilliseconds(4), othersWriting: true));
        Assert.Equal(PurgePace.MinBusyRest, pace.Observe(TimeSpan.FromMilliseconds(0.1), othersWriting: true));
        Assert.Equal(PurgePace.MinRest, pace.Observe(TimeSpan.FromMilliseconds(4), othersWriting: false));
    }
}
