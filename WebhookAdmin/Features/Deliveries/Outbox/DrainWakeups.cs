namespace WebhookAdmin.Features.Deliveries.Outbox;

/// <summary>After a commit that made deliveries due: the drain runs now, or the retry timer is set for later.</summary>
public sealed class DrainWakeups(OutboxSignal signal, NextDueTimer dueTimer)
{
    public void Committed(CommittedChanges changes)
    {
        if (changes.DueNow) signal.Wake();
        dueTimer.WakeAt(changes.DueAt);
    }
}
