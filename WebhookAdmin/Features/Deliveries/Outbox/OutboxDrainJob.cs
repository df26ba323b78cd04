using Quartz;

namespace WebhookAdmin.Features.Deliveries.Outbox;

/// <summary>
/// The Quartz job that drains the outbox. Thin on purpose: the work is in <see cref="OutboxDrain"/>.
/// Woken at once by ingestion (<see cref="OutboxSignal"/>); its own schedule is only a safety net.
/// </summary>
[DisallowConcurrentExecution]
public sealed class OutboxDrainJob(OutboxDrain drain) : IJob
{
    public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) => new(drain.RunAsync(cancellationToken));
}
