using Microsoft.Extensions.Options;
using WebhookAdmin.Features.Deliveries.Reasons;
using WebhookAdmin.Features.Deliveries.Sending;

namespace WebhookAdmin.Features.Deliveries.Outbox;

/// <summary>
/// One run of the drain: send what ingestion stored already claimed (<see cref="FreshClaims"/>), claim due
/// deliveries while there is capacity and work, hand them to the dispatcher (which sends without making the drain
/// wait), then arm the timer for the next retry.
/// </summary>
public sealed class OutboxDrain(
    OutboxClaimer claimer,
    WorkLoader loader,
    DeliveryDispatcher dispatcher,
    AttemptRecorder recorder,
    OutboxSignal signal,
    FreshClaims fresh,
    NextDueTimer dueTimer,
    LeaseRecovery leases,
    TimeProvider time,
    IOptions<DeliveryOptions> options)
{
    private static readonly TimeSpan LeaseSweepInterval = TimeSpan.FromSeconds(30);
    private DateTime _lastLeaseSweep = DateTime.MinValue;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await SweepExpiredLeasesAsync(cancellationToken);
        while (!cancellationToken.IsCancellationRequested && !dispatcher.IsStopping)
        {
            signal.Consume();
            if (fresh.TakeAll() is { Count: > 0 } handedOver) await DispatchAsync(handedOver, cancellationToken);
            // Raised before looking at the lanes: a lane that falls back to half full while this claim runs
            // must wake the next run, or the rows skipped as saturated would wait for the safety poll.
            dispatcher.BacklogWaiting = true;
            var free = dispatcher.FreeSlots;
            if (free == 0)
            {
                // Full: completions wake the drain again once half the capacity is back.
                fresh.OutboxCaughtUp = false;
                return;
            }

            var limit = Math.Min(options.Value.ClaimBatchSize, free);
            var saturated = dispatcher.SaturatedWebhooks();
            var (claimed, leftBehindAtCap) = await claimer.ClaimDueAsync(limit, options.Value.MaxConcurrencyPerWebhook, saturated,
                time.GetUtcNow().UtcDateTime, options.Value.EffectiveLease(), cancellationToken);
            if (claimed.Count > 0)
            {
                await DispatchAsync(claimed, cancellationToken);
                // Fewer rows than asked, none held back by a lane or by the per-webhook cap: nothing else is due.
                var caughtUp = claimed.Count < limit && saturated.Count == 0 && !leftBehindAtCap;
                signal.AwaitingOutcomes = leftBehindAtCap;
                fresh.OutboxCaughtUp = caughtUp;
                if (caughtUp) break;
                continue;
            }

            // Rows of full lanes may still be due: their completions wake the drain. A lane that emptied after
            // the claim looked at it may already have passed its wake-up point, so it is claimed again now.
            var stillSaturated = dispatcher.SaturatedWebhooks();
            if (saturated.Any(id => !stillSaturated.Contains(id))) continue;
            // Otherwise the outbox is empty up to now (but for rows at their webhook's cap, which completions wake
            // the drain for), and the timer takes over for the next retry.
            dispatcher.BacklogWaiting = stillSaturated.Count > 0 || leftBehindAtCap;
            signal.AwaitingOutcomes = leftBehindAtCap;
            fresh.OutboxCaughtUp = stillSaturated.Count == 0 && !leftBehindAtCap;
            break;
        }

        // Looked up even with a backlog: this run may have been the timer's own wake for the earliest retry, and
        // the next one (not armed while an earlier wake was set) would otherwise wait for the safety poll. Only
        // then, though: every other new due time is handed to the timer by whoever sets it.
        if (dueTimer.TakeStale())
            await ArmTimerAsync(cancellationToken);
    }

    private async Task DispatchAsync(List<ClaimedRow> claimed, CancellationToken cancellationToken)
    {
        var orphans = new List<ClaimedRow>();
        foreach (var work in await loader.LoadAsync(claimed, AttemptKind.Scheduled, orphans, cancellationToken))
            dispatcher.Dispatch(work);
        // Their webhook was deleted between ingestion and the claim: handed back, the database skips them.
        foreach (var row in orphans)
            recorder.Record(new NotSent(row.Id, row.Lease, Because.WebhookDeleted));
    }

    private async Task ArmTimerAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (await claimer.NextDueAsync(now, cancellationToken) is { } next)
            dueTimer.WakeAt(next);
    }

    private async Task SweepExpiredLeasesAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (now - _lastLeaseSweep < LeaseSweepInterval) return;
        _lastLeaseSweep = now;
        await leases.ReleaseExpiredAsync(cancellationToken);
    }
}
