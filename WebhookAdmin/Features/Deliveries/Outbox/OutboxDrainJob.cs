using Quartz;

namespace WebhookAdmin.Features.Deliveries.Outbox;

/// <summary>
/// The Quartz job that drains the outbox. Thin on purpose: the work is in <see cref="OutboxDrain"/>.
/// Woken at once by ingestion (<see cref="OutboxSignal"/>); its own schedule is only a safety net.
/// </summary>
[DisallowConcurrentExecution]
public sealed class OutboxDrainJob(OutboxDrain drain, NextDueTimer dueTimer) : IJob
{
    public const string PollTrigger = "outbox-drain-poll";

    public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        // The safety poll also re-reads the next due time, in case a due time was set where nobody told the timer.
        if (context.Trigger.Key.Name == PollTrigger) dueTimer.MarkStale();
        return new(drain.RunAsync(cancellationToken));
    }
}
