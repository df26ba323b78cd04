using Quartz;

namespace WebhookAdmin.Features.Deliveries.Outbox;

/// <summary>
/// Wakes the drain job the moment there is work (ingestion committed, capacity freed, a retry fell due).
/// Many wakes while a run is going collapse into one flag the run checks before it stops, so the job is
/// triggered at most once per burst rather than once per event.
/// </summary>
public sealed class OutboxSignal(ISchedulerFactory schedulers, ILogger<OutboxSignal> logger)
{
    public static readonly JobKey JobKey = new("outbox-drain", "deliveries");
    private int _requested;
    private volatile bool _awaitingOutcomes;

    /// <summary>
    /// Set by the drain when it left due rows behind at their webhook's limit as the database counts it (where
    /// instances share it, <see cref="SharedWebhookCap"/>): room comes back only once outcomes are committed, not when
    /// a request finishes, so <see cref="DrainWakeups"/> wakes the drain after the next committed outcomes.
    /// </summary>
    public bool AwaitingOutcomes { get => _awaitingOutcomes; set => _awaitingOutcomes = value; }

    public void Wake()
    {
        if (Interlocked.Exchange(ref _requested, 1) == 1) return;
        _ = TriggerAsync();
    }

    /// <summary>Called by the job before each claim: wakes from now on mean "there may be more".</summary>
    public bool Consume() => Interlocked.Exchange(ref _requested, 0) == 1;

    private async Task TriggerAsync()
    {
        try
        {
            var scheduler = await schedulers.GetScheduler();
            if (await scheduler.GetStatus() is SchedulerStatus.Running or SchedulerStatus.Standby or SchedulerStatus.Created)
            {
                await scheduler.TriggerJob(JobKey);
                return;
            }
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not trigger the outbox drain job");
        }
        // No run is coming to consume this wake: the next Wake() must trigger again, not find the flag set and
        // return (which silenced the drain until the safety poll). The work itself waits at most for that poll.
        Volatile.Write(ref _requested, 0);
    }
}
