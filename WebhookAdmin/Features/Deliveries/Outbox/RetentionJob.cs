using Microsoft.Extensions.Options;
using Quartz;

namespace WebhookAdmin.Features.Deliveries.Outbox;

/// <summary>
/// The Quartz job that runs the retention purge every <c>Retention:Interval</c>. Thin on purpose: the work is in
/// <see cref="RetentionPurge"/>, so that moving the job to a clustered store (once per cluster) changes only this.
/// </summary>
[DisallowConcurrentExecution]
public sealed class RetentionJob(RetentionPurge purge) : IJob
{
    public static readonly JobKey Key = new("retention-purge", "deliveries");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await purge.RunAsync(cancellationToken);
}

public static class RetentionJobSetup
{
    /// <summary>
    /// The job and its schedule. The first run waits one interval: start-up stays quick, and a restart loop cannot
    /// turn into a purge loop. A run that would have started while the app was stopped is not made up for.
    /// </summary>
    public static void AddRetentionJob(this IQuartzBuilder quartz) =>
        quartz.AddRepeatingJob<RetentionJob>(RetentionJob.Key,
            sp => sp.GetRequiredService<IOptions<RetentionOptions>>().Value.Interval, firstAfterOneInterval: true);

    public static IServiceCollection AddRetention(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RetentionOptions>()
            .Bind(configuration.GetSection(RetentionOptions.Section))
            .Validate(o => o.Period > TimeSpan.Zero, "Retention:Period must be positive.")
            .Validate(o => o.FailedPeriod > TimeSpan.Zero, "Retention:FailedPeriod must be positive.")
            .Validate(o => o.Interval >= TimeSpan.FromSeconds(1), "Retention:Interval must be at least one second.")
            .ValidateOnStart();
        services.AddSingleton<RetentionPurge>();
        return services;
    }
}
