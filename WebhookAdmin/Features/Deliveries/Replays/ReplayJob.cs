using Quartz;

namespace WebhookAdmin.Features.Deliveries.Replays;

/// <summary>The Quartz job that works replays a batch at a time; thin on purpose, the work is in <see cref="ReplayWorker"/>.</summary>
[DisallowConcurrentExecution]
public sealed class ReplayJob(ReplayWorker worker, ReplaySignal signal) : IJob
{
    public static readonly JobKey Key = new("replays", "deliveries");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        signal.Consume();
        await worker.RunAsync(cancellationToken);
    }
}
