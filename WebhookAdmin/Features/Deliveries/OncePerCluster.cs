using Quartz;
using WebhookAdmin.Data.Postgres;
using WebhookAdmin.Features.Deliveries.Outbox;

namespace WebhookAdmin.Features.Deliveries;

/// <summary>
/// The second Quartz scheduler, for work that must run once per cluster where instances share the database
/// (ADR-021): the retention purge and the lease sweep, on Quartz's clustered job store. Every instance runs it; each
/// trigger fires on one of them. Both jobs are guarded statements that a second run finds nothing left for, which is
/// what is relied on, not an exactly-once promise from Quartz.
/// </summary>
public static class OncePerCluster
{
    /// <summary>Quartz's scheduler name, the same on every instance: it is what makes them one cluster in the tables.</summary>
    public const string SchedulerName = "webhookadmin-cluster";

    public static IServiceCollection AddOncePerClusterScheduler(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddQuartz(SchedulerName, quartz =>
        {
            quartz.UseClusteredJobStore(configuration);
            quartz.AddRetentionJob();
            quartz.AddLeaseReapingJob();
        });
        // The node's id in qrtz_scheduler_state and qrtz_fired_triggers: the instance's lease prefix (Instance:Name and
        // a random part), so a row there names the instance that holds it, and two processes given one name differ.
        services.AddOptions<QuartzSchedulerOptions>(SchedulerName).Configure<OutboxInstance>((options, instance) =>
        {
            options.InstanceId = instance.Id;
            options.GenerateInstanceId = false;
        });
        // Every start replaces the stored jobs and triggers with these (a changed interval counts), keeping the
        // schedule's place: a restart neither re-runs nor postpones the purge (quartznet#2347).
        services.Configure<QuartzOptions>(SchedulerName, options => options.Scheduling.ScheduleTriggerRelativeToReplacedTrigger = true);
        return services;
    }
}
