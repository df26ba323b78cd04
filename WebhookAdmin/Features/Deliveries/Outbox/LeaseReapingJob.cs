using Microsoft.Extensions.Options;
using Quartz;

namespace WebhookAdmin.Features.Deliveries.Outbox;

/// <summary>
/// Takes back claims whose lease expired (their process died while sending), every
/// <see cref="DeliveryOptions.LeaseSweepInterval"/>. Runs where instances share the database, on the clustered
/// scheduler, so once per cluster rather than once per instance (ADR-021); where one process owns the database the
/// drain does it itself. The statement is guarded: a second run at the same moment finds nothing left to release.
/// </summary>
[DisallowConcurrentExecution]
public sealed class LeaseReapingJob(LeaseRecovery leases) : IJob
{
    public static readonly JobKey Key = new("lease-reaping", "deliveries");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await leases.ReleaseExpiredAsync(cancellationToken);
}

public static class LeaseReapingJobSetup
{
    /// <summary>The job and its schedule; the first run is at once (a node starting is often one replacing a dead one).</summary>
    public static void AddLeaseReapingJob(this IQuartzBuilder quartz) =>
        quartz.AddRepeatingJob<LeaseReapingJob>(LeaseReapingJob.Key,
            sp => sp.GetRequiredService<IOptions<DeliveryOptions>>().Value.LeaseSweepInterval(), firstAfterOneInterval: false);
}
