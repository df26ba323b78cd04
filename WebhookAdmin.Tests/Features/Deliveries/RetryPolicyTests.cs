using WebhookAdmin.Features.Deliveries;
using WebhookAdmin.Features.Deliveries.Outbox;

namespace WebhookAdmin.Tests.Features.Deliveries;

public sealed class RetryPolicyTests
{
    private static readonly DateTime Now = new(2026, 11, 26, 10, 0, 0, DateTimeKind.Utc);
    private readonly RetryPolicy _policy = new(new DeliveryOptions());

    /// <summary>A random source that always answers the same number, to pin the jitter to its edges.</summary>
    public sealed class FixedRandom(double value) : Random
    {
        public override double NextDouble() => value;
    }

    [Theory]
    [InlineData(1, 10)]
    [InlineData(2, 60)]
    [InlineData(3, 600)]
    [InlineData(4, 3600)]
    [InlineData(9, 3600)]
    public void The_default_schedule_waits_10_s_1_min_10_min_then_1_h_and_the_last_delay_repeats(int failedAttempt, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), _policy.BaseDelay(failedAttempt));

    [Fact]
    public void Without_jitter_the_next_attempt_is_exactly_the_base_delay_away() =>
        Assert.Equal(Now.AddMinutes(10), _policy.NextAttemptAt(Now, 3, null, new FixedRandom(0.5)));

    [Fact]
    public void Jitter_stretches_or_shrinks_the_delay_by_at_most_20_percent()
    {
        Assert.Equal(Now.AddSeconds(8), _policy.NextAttemptAt(Now, 1, null, new FixedRandom(0.0)));
        Assert.Equal(Now.AddMinutes(72), _policy.NextAttemptAt(Now, 4, null, new FixedRandom(1.0)));
    }

    [Fact]
    public void Seeded_jitter_spreads_retries_across_the_whole_band_and_never_leaves_it()
    {
        var random = new Random(20261126);
        var waits = Enumerable.Range(0, 2000)
            .Select(_ => (_policy.NextAttemptAt(Now, 2, null, random) - Now).TotalSeconds)
            .ToList();

        Assert.All(waits, w => Assert.InRange(w, 48.0, 72.0));
        // Spread out, not clustered: receivers do not see failed deliveries return in lockstep.
        Assert.True(waits.Min() < 50 && waits.Max() > 70, $"jitter covered only {waits.Min():0.0}..{waits.Max():0.0} s");
        Assert.InRange(waits.Average(), 58.0, 62.0);
    }

    [Fact]
    public void The_same_seed_gives_the_same_schedule()
    {
        var a = new Random(7);
        var b = new Random(7);
        for (var attempt = 1; attempt <= 4; attempt++)
            Assert.Equal(_policy.NextAttemptAt(Now, attempt, null, a), _policy.NextAttemptAt(Now, attempt, null, b));
    }

    [Fact]
    public void A_receiver_s_Retry_After_wins_over_the_schedule_without_jitter() =>
        Assert.Equal(Now.AddSeconds(120), _policy.NextAttemptAt(Now, 4, TimeSpan.FromSeconds(120), new FixedRandom(0.0)));

    [Fact]
    public void Retry_After_is_capped_at_one_hour() =>
        Assert.Equal(Now.AddHours(1), _policy.NextAttemptAt(Now, 1, TimeSpan.FromHours(6), Random.Shared));

    [Fact]
    public void A_Retry_After_date_in_the_past_means_now() =>
        Assert.Equal(Now, _policy.NextAttemptAt(Now, 1, TimeSpan.FromSeconds(-30), Random.Shared));

    [Fact]
    public void The_budget_is_used_up_after_the_configured_number_of_scheduled_attempts()
    {
        Assert.False(_policy.IsExhausted(4));
        Assert.True(_policy.IsExhausted(5));
        Assert.True(new RetryPolicy(new DeliveryOptions { MaxAttempts = 1 }).IsExhausted(1));
    }

    [Fact]
    public void A_configured_schedule_replaces_the_default()
    {
        var policy = new RetryPolicy(new DeliveryOptions { RetryDelays = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)] });
        Assert.Equal(TimeSpan.FromSeconds(1), policy.BaseDelay(1));
        Assert.Equal(TimeSpan.FromSeconds(2), policy.BaseDelay(2));
        Assert.Equal(TimeSpan.FromSeconds(2), policy.BaseDelay(3));
    }
}
