using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WebhookAdmin.Data;
using WebhookAdmin.Features.Deliveries.Sending;

namespace WebhookAdmin.Features.Deliveries.Outbox;

/// <summary>
/// One run of the drain: claim due deliveries while there is capacity and work, hand them to the
/// dispatcher (which sends without making the drain wait), then arm the timer for the next retry.
/// </summary>
public sealed class OutboxDrain(
    OutboxClaimer claimer,
    WorkLoader loader,
    DeliveryDispatcher dispatcher,
    AttemptRecorder recorder,
    OutboxSignal signal,
    NextDueTimer dueTimer,
    IDbContextFactory<AppDbContext> dbFactory,
    TimeProvider time,
    IOptions<DeliveryOptions> options,
    ILogger<OutboxDrain> logger)
{
    private static readonly TimeSpan LeaseSweepInterval = TimeSpan.FromSeconds(30);
    private DateTime _lastLeaseSweep = DateTime.MinValue;

    /// <summary>Long enough to cover waiting in a full lane and then one attempt, with margin.</summary>
    private TimeSpan Lease => options.Value.Timeout * 3 + TimeSpan.FromMinutes(1);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await SweepExpiredLeasesAsync(cancellationToken);
        while (!cancellationToken.IsCancellationRequested && !dispatcher.IsStopping)
        {
            signal.Consume();
            var free = dispatcher.FreeSlots;
            if (free == 0)
            {
                // Full: completions wake the drain again once half the capacity is back.
                dispatcher.BacklogWaiting = true;
                return;
            }

            var limit = Math.Min(options.Value.ClaimBatchSize, free);
            var claimed = await claimer.ClaimAsync(limit, options.Value.MaxConcurrencyPerWebhook, dispatcher.SaturatedWebhooks(),
                time.GetUtcNow().UtcDateTime, Lease, cancellationToken);
            if (claimed.Count == 0) break;
            await DispatchAsync(claimed, cancellationToken);
        }

        // Rows of full lanes may still be due: their completions wake the drain. Otherwise the outbox is
        // empty up to now, and the timer takes over for the next retry.
        dispatcher.BacklogWaiting = dispatcher.SaturatedWebhooks().Count > 0;
        if (!dispatcher.BacklogWaiting)
            await ArmTimerAsync(cancellationToken);
    }

    private async Task DispatchAsync(List<long> claimed, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var work = await loader.LoadAsync(db, claimed, _ => AttemptKind.Scheduled, null, cancellationToken);
        foreach (var item in work)
            dispatcher.Dispatch(item);

        if (work.Count < claimed.Count)
        {
            // Their webhook was deleted between ingestion and the claim.
            var loaded = work.Select(w => w.DeliveryId).ToHashSet();
            foreach (var id in claimed.Where(id => !loaded.Contains(id)))
                recorder.Record(new NotSent(id, DeliveryStatus.Skipped, null));
        }
    }

    private async Task ArmTimerAsync(CancellationToken cancellationToken)
    {
        var next = await claimer.NextDueAsync(cancellationToken);
        if (next > time.GetUtcNow().UtcDateTime)
            dueTimer.WakeAt(next);
    }

    private async Task SweepExpiredLeasesAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (now - _lastLeaseSweep < LeaseSweepInterval) return;
        _lastLeaseSweep = now;
        var released = await claimer.ReleaseExpiredLeasesAsync(now, cancellationToken);
        if (released > 0)
            logger.LogWarning("Released {Count} deliveries whose lease expired (their process stopped while sending)", released);
    }
}
