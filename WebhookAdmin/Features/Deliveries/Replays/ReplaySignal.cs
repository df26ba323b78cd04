using Quartz;

namespace WebhookAdmin.Features.Deliveries.Replays;

/// <summary>
/// Wakes the replay job: when a replay is created, and (while this instance works one) when outcomes are committed,
/// since that is when a webhook's room comes back. Wakes during a run collapse into one more run, as the drain's do.
/// </summary>
public sealed class ReplaySignal(ISchedulerFactory schedulers, ILogger<ReplaySignal> logger)
{
    private int _requested;
    private volatile bool _working;

    /// <summary>This instance holds a replay that has more to send.</summary>
    public bool Working { get => _working; set => _working = value; }

    public void Wake()
    {
        if (Interlocked.Exchange(ref _requested, 1) == 1) return;
        _ = TriggerAsync();
    }

    /// <summary>Called by the job as it starts: wakes from now on mean "run once more".</summary>
    public void Consume() => Volatile.Write(ref _requested, 0);

    private async Task TriggerAsync()
    {
        try
        {
            await (await schedulers.GetScheduler()).TriggerJob(ReplayJob.Key);
        }
        catch (Exception e)
        {
            // The safety poll picks the replay up; a lost wake costs a few seconds, never a delivery.
            logger.LogWarning(e, "Could not trigger the replay job");
            Volatile.Write(ref _requested, 0);
        }
    }
}

/// <summary>After committed outcomes, the webhook a replay waits on may have room again.</summary>
public sealed class ReplayWakeups(ReplaySignal signal) : Outbox.ICommitObserver
{
    public void Committed(Outbox.CommittedChanges changes)
    {
        if (changes.Batch == Outbox.OutboxBatch.Outcomes && signal.Working) signal.Wake();
    }
}
