using Quartz;

namespace WebhookAdmin.Features.Deliveries.Outbox;

public static class RepeatingJob
{
    /// <summary>
    /// A durable job and the one trigger (<c>{name}-schedule</c>, same group) that runs it every interval, read from the
    /// container when the scheduler is built, so configuration added late (test overrides) counts. A run that could
    /// not start in time is not made up for: the trigger moves on to its next slot after now.
    /// </summary>
    public static void AddRepeatingJob<TJob>(this IQuartzBuilder quartz, JobKey key, Func<IServiceProvider, TimeSpan> interval,
        bool firstAfterOneInterval) where TJob : class, IJob
    {
        quartz.AddJob<TJob>(job => job.WithIdentity(key).StoreDurably());
        quartz.AddTrigger((sp, trigger) =>
        {
            var every = interval(sp);
            trigger.ForJob(key)
                .WithIdentity($"{key.Name}-schedule", key.Group)
                .StartAt(firstAfterOneInterval ? DateTimeOffset.UtcNow + every : DateTimeOffset.UtcNow)
                .WithSimpleSchedule(s => s.WithInterval(every).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount));
        });
    }
}
