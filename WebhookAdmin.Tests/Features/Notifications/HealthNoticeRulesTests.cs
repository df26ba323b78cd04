using WebhookAdmin.Features.Deliveries.Outbox;
using WebhookAdmin.Features.Notifications;

namespace WebhookAdmin.Tests.Features.Notifications;

public sealed class HealthNoticeRulesTests
{
    private static WebhookChange Streak(int length, int grewBy, string webhook = "w1") =>
        new(webhook, WebhookChangeKind.FailureStreak, Streak: length, GrewBy: grewBy);

    [Theory]
    [InlineData(2, 1, false)]
    [InlineData(3, 1, true)]
    [InlineData(4, 1, false)]
    [InlineData(4, 3, true)]  // a batch of three failures carried it from 1 across 3
    [InlineData(5, 2, false)] // from 3 to 5: warned already when it reached 3
    public void A_streak_is_worth_a_warning_only_in_the_commit_that_carried_it_across_the_threshold(int length, int grewBy, bool warned) =>
        Assert.Equal(warned, HealthNoticeRules.Notable([Streak(length, grewBy)], failingAfter: 3).Any());

    [Fact]
    public void A_streak_that_crossed_in_the_commit_that_disabled_the_webhook_leaves_the_telling_to_the_disable()
    {
        var disabled = new WebhookChange("w1", WebhookChangeKind.Disabled);
        var notable = HealthNoticeRules.Notable([Streak(3, 1), disabled, Streak(3, 1, "w2")], failingAfter: 3).ToList();
        Assert.Equal([("w1", HealthNoticeKind.Disabled), ("w2", HealthNoticeKind.Failing)], notable.Select(n => (n.Change.WebhookId, n.Kind)));
    }

    [Fact]
    public void Every_disable_and_re_enable_is_notable()
    {
        var notable = HealthNoticeRules.Notable(
            [new WebhookChange("w1", WebhookChangeKind.Disabled), new WebhookChange("w1", WebhookChangeKind.Enabled, Released: 2)], 3);
        Assert.Equal([HealthNoticeKind.Disabled, HealthNoticeKind.Recovered], notable.Select(n => n.Kind));
    }

    [Fact]
    public void The_owner_is_not_emailed_about_a_disable_they_made_themselves()
    {
        var byOwner = new WebhookChange("w1", WebhookChangeKind.Disabled, ByUserId: "owner");
        var byColleague = byOwner with { ByUserId = "colleague" };
        var automatic = byOwner with { ByUserId = null };
        Assert.False(HealthNoticeRules.EmailsOwner(HealthNoticeKind.Disabled, byOwner, "owner"));
        Assert.True(HealthNoticeRules.EmailsOwner(HealthNoticeKind.Disabled, byColleague, "owner"));
        Assert.True(HealthNoticeRules.EmailsOwner(HealthNoticeKind.Disabled, automatic, "owner"));
    }

    [Theory]
    [InlineData(5, 3, 3, 2)]    // the delivery that made three of five attempts
    [InlineData(5, null, 3, 2)] // none waiting: the streak stands in
    [InlineData(5, 5, 9, 1)]    // never "0 more": it is not disabled yet
    public void Attempts_left_count_from_the_delivery_closest_to_its_last_attempt(int max, int? most, int streak, int left) =>
        Assert.Equal(left, HealthNoticeRules.AttemptsLeft(max, most, streak));

    [Fact]
    public void A_failed_email_is_retried_after_each_delay_then_given_up()
    {
        var now = new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc);
        var policy = new MailRetryPolicy([TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5)]);
        Assert.Equal(now.AddMinutes(1), policy.NextTry(1, now));
        Assert.Equal(now.AddMinutes(5), policy.NextTry(2, now));
        Assert.Null(policy.NextTry(3, now));
        Assert.Equal(3, policy.MaxTries);
    }
}
