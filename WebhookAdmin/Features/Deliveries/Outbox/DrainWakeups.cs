namespace WebhookAdmin.Features.Deliveries.Outbox;

/// <summary>
/// After a commit that made deliveries due or stored them claimed, or that stored outcomes the drain waits for: the
/// drain runs now (the claimed ones handed to it first), or the retry timer is set for later.
/// </summary>
public sealed class DrainWakeups(OutboxSignal signal, NextDueTimer dueTimer, FreshClaims fresh)
{
    public void Committed(CommittedChanges changes)
    {
        if (changes.ClaimedAtInsert.Count > 0) fresh.HandOver(changes.ClaimedAtInsert);
        if (changes.DueNow || changes.ClaimedAtInsert.Count > 0 || (changes.Batch == OutboxBatch.Outcomes && signal.AwaitingOutcomes))
            signal.Wake();
        dueTimer.WakeAt(changes.DueAt);
    }
}
