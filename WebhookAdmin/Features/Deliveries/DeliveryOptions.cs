using System.ComponentModel.DataAnnotations;

namespace WebhookAdmin.Features.Deliveries;

/// <summary>The <c>Delivery</c> configuration section (see the contract, section 1).</summary>
public sealed class DeliveryOptions
{
    public const string Section = "Delivery";

    /// <summary>Wait before the first attempt. Blue waits 5 s; we deliver at once.</summary>
    public TimeSpan InitialDelay { get; set; } = TimeSpan.Zero;

    /// <summary>Per-attempt HTTP timeout (Blue's value).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(7);

    [Range(1, 50)]
    public int MaxAttempts { get; set; } = 5;

    public static readonly TimeSpan[] DefaultRetryDelays =
        [TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(10), TimeSpan.FromHours(1)];

    /// <summary>
    /// Wait after failed attempt 1, 2, 3, 4…; the last entry repeats if there are more attempts. ±20 % jitter.
    /// Empty here and defaulted after binding: the configuration binder appends to an initialised array
    /// instead of replacing it, so configured delays would otherwise follow the defaults.
    /// </summary>
    public TimeSpan[] RetryDelays { get; set; } = [];

    /// <summary>Allow URLs that resolve to loopback, private, link-local or metadata addresses (development, tests).</summary>
    public bool AllowPrivateNetworks { get; set; }

    [Range(1, 10_000)]
    public int MaxConcurrency { get; set; } = 64;

    [Range(1, 1_000)]
    public int MaxConcurrencyPerWebhook { get; set; } = 8;

    /// <summary>How often the drain job runs when nothing wakes it: a safety net, not the delivery path.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a claimed delivery belongs to the process that claimed it; after that another claim may take it.
    /// Unset: three timeouts and a minute, enough to wait in a full lane and then make one attempt.
    /// </summary>
    public TimeSpan? LeaseDuration { get; set; }

    public TimeSpan EffectiveLease() => LeaseDuration ?? Timeout * 3 + TimeSpan.FromMinutes(1);

    /// <summary>
    /// How often expired leases are looked for: a quarter of the lease, so a claim whose process died is back in the
    /// outbox within about a lease and a quarter; at least a second (each look is a database write) and at most
    /// 30 s (the default lease, 81 s, gives 20 s).
    /// </summary>
    public TimeSpan LeaseSweepInterval() =>
        TimeSpan.FromTicks(Math.Clamp(EffectiveLease().Ticks / 4, TimeSpan.TicksPerSecond, 30 * TimeSpan.TicksPerSecond));

    /// <summary>Deliveries claimed per database round trip.</summary>
    [Range(1, 5_000)]
    public int ClaimBatchSize { get; set; } = 256;

    /// <summary>
    /// A fresh event's deliveries are stored already claimed when the drain has caught up and has room, and sent
    /// without a claim of their own (ADR-019). Off: every delivery is stored pending and claimed by the drain.
    /// </summary>
    public bool ClaimAtInsert { get; set; } = true;
}
