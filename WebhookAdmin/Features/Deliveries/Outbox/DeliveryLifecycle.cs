using System.Collections.Frozen;
using static WebhookAdmin.Features.Deliveries.DeliveryStatus;

namespace WebhookAdmin.Features.Deliveries.Outbox;

/// <summary>One way a delivery's status may change: from any of <see cref="From"/> to one of <see cref="To"/>.</summary>
public sealed record DeliveryTransition(string Name, IReadOnlyList<DeliveryStatus> From, IReadOnlyList<DeliveryStatus> To)
{
    /// <summary>The SQL condition that lets only rows in a <see cref="From"/> status take this transition.</summary>
    public string Guard => From.Count == 0
        ? throw new InvalidOperationException($"'{Name}' creates rows; it has no guard.")
        : $"\"Status\" IN ({string.Join(", ", From.Select(s => $"'{s.ToName()}'"))})";
}

/// <summary>
/// The delivery state machine, written once. Every statement that writes <c>Deliveries.Status</c> (they
/// are all in <see cref="OutboxSql"/>) is built from one of these transitions and carries its guard, so a
/// statement cannot move a row out of a status the transition does not start from.
/// <code>
///             claim                 2xx
///  pending ───────────▶ delivering ─────▶ delivered
///    ▲ │ hold              │ │ │ failure: retry (back to pending, or held / skipped by the webhook's state)
///    │ ▼                   │ │ └─ last scheduled failure, test or health-check failure ─▶ failed
///   held ── skip ─▶ skipped ◀┘ (webhook deleted)       failed ── replay on re-enable ─▶ pending
/// delivered, failed, held, skipped ── requeue (a bulk replay) ─▶ pending
/// </code>
/// A resend claims a row from any status but <c>delivering</c>; its failure restores the status it had.
/// </summary>
public static class DeliveryLifecycle
{
    /// <summary>Where a row goes when it returns to the outbox: pending, or held / skipped when its webhook is disabled / deleted.</summary>
    private static readonly DeliveryStatus[] BackToOutbox = [Pending, Held, Skipped];

    /// <summary>Ingestion: a new row, held at once when its webhook is disabled.</summary>
    public static readonly DeliveryTransition Append = new(nameof(Append), [], [Pending, Held]);

    /// <summary>A test send or health check: created already claimed by the process that sends it.</summary>
    public static readonly DeliveryTransition AppendClaimed = new(nameof(AppendClaimed), [], [Delivering]);

    public static readonly DeliveryTransition Claim = new(nameof(Claim), [Pending], [Delivering]);

    /// <summary>"Send it again", whatever the status, except while an attempt is in flight.</summary>
    public static readonly DeliveryTransition ClaimForResend = new(nameof(ClaimForResend), [Pending, Delivered, Failed, Held, Skipped], [Delivering]);

    public static readonly DeliveryTransition Deliver = new(nameof(Deliver), [Delivering], [Delivered]);

    /// <summary>A failed scheduled attempt with budget left (or a 410, whose webhook is disabled in the same transaction).</summary>
    public static readonly DeliveryTransition Retry = new(nameof(Retry), [Delivering], BackToOutbox);

    /// <summary>The last scheduled attempt, a test send or a health check failed.</summary>
    public static readonly DeliveryTransition Fail = new(nameof(Fail), [Delivering], [Failed]);

    /// <summary>A resend failed: the delivery keeps the status it had before.</summary>
    public static readonly DeliveryTransition Restore = new(nameof(Restore), [Delivering], [Pending, Delivered, Failed, Held, Skipped]);

    /// <summary>Claimed but not sent (webhook closed meanwhile, shutdown, a caller that stopped waiting), or a lease that ran out.</summary>
    public static readonly DeliveryTransition Release = new(nameof(Release), [Delivering], [.. BackToOutbox, Failed]);

    /// <summary>The webhook was disabled: what waits for it is held.</summary>
    public static readonly DeliveryTransition Hold = new(nameof(Hold), [Pending], [Held]);

    /// <summary>Re-enabled with replay: the held ones, and those that failed into the disable, go out again.</summary>
    public static readonly DeliveryTransition Replay = new(nameof(Replay), [Held, Failed], [Pending]);

    /// <summary>A bulk replay (<see cref="Replays.ReplayWorker"/>): finished or held rows go back to the outbox, a batch at a time.</summary>
    public static readonly DeliveryTransition Requeue = new(nameof(Requeue), [Delivered, Failed, Held, Skipped], [Pending]);

    /// <summary>Re-enabled without replay, or deleted: what waited is skipped.</summary>
    public static readonly DeliveryTransition Skip = new(nameof(Skip), [Pending, Held], [Skipped]);

    public static IReadOnlyList<DeliveryTransition> All { get; } =
        [Append, AppendClaimed, Claim, ClaimForResend, Deliver, Retry, Fail, Restore, Release, Hold, Replay, Requeue, Skip];

    private static readonly FrozenSet<(DeliveryStatus, DeliveryStatus)> Moves =
        All.SelectMany(t => t.From.SelectMany(from => t.To.Where(to => to != from).Select(to => (from, to)))).ToFrozenSet();

    /// <summary>True when some transition moves a row from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static bool CanMove(DeliveryStatus from, DeliveryStatus to) => Moves.Contains((from, to));

    /// <summary>The statuses a new row may start in.</summary>
    public static IReadOnlySet<DeliveryStatus> Initial { get; } = All.Where(t => t.From.Count == 0).SelectMany(t => t.To).ToFrozenSet();
}
