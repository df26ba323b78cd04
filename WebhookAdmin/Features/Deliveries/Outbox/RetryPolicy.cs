namespace WebhookAdmin.Features.Deliveries.Outbox;

/// <summary>
/// When to try again after a failed scheduled attempt. Pure: the caller supplies the clock's "now"
/// and the random source, so the schedule and its jitter are tested without a host or a sleep.
/// </summary>
public sealed class RetryPolicy(DeliveryOptions options)
{
    public const double Jitter = 0.20;
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromHours(1);

    public int MaxAttempts => options.MaxAttempts;

    /// <summary>True when <paramref name="scheduledAttempts"/> failed attempts use up the budget.</summary>
    public bool IsExhausted(int scheduledAttempts) => scheduledAttempts >= options.MaxAttempts;

    /// <summary>The base wait after failed attempt <paramref name="attemptNumber"/> (1-based); the last configured delay repeats.</summary>
    public TimeSpan BaseDelay(int attemptNumber)
    {
        var delays = options.RetryDelays.Length == 0 ? DeliveryOptions.DefaultRetryDelays : options.RetryDelays;
        return delays[Math.Clamp(attemptNumber - 1, 0, delays.Length - 1)];
    }

    /// <summary>
    /// The next attempt time. A receiver's <c>Retry-After</c> (on 429/503) wins, capped at one hour;
    /// otherwise the schedule with ±20 % jitter so that many failed deliveries do not return in lockstep. Whole
    /// microseconds (<see cref="Data.MicrosecondClock"/>), so the time stored is the time the wake-up timer waits for.
    /// </summary>
    public DateTime NextAttemptAt(DateTime now, int attemptNumber, TimeSpan? retryAfter, Random random)
    {
        if (retryAfter is { } wait)
            return Data.MicrosecondClock.Ceiling(now + (wait < TimeSpan.Zero ? TimeSpan.Zero : wait > MaxRetryAfter ? MaxRetryAfter : wait));

        var factor = 1 + (random.NextDouble() * 2 - 1) * Jitter;
        return Data.MicrosecondClock.Ceiling(now + BaseDelay(attemptNumber) * factor);
    }
}
