using Quartz;
using WebhookAdmin.Data;
using WebhookAdmin.Features.Deliveries.Outbox;
using WebhookAdmin.Features.Deliveries.Replays;
using WebhookAdmin.Features.Deliveries.Sending;

namespace WebhookAdmin.Features.Deliveries;

public static class DeliveriesServices
{
    public static IServiceCollection AddDeliveries(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DeliveryOptions>()
            .Bind(configuration.GetSection(DeliveryOptions.Section))
            .PostConfigure(o => { if (o.RetryDelays.Length == 0) o.RetryDelays = DeliveryOptions.DefaultRetryDelays; })
            .ValidateDataAnnotations()
            .Validate(o => o.Timeout > TimeSpan.Zero, "Delivery:Timeout must be positive.")
            .Validate(o => o.RetryDelays.All(d => d >= TimeSpan.Zero), "Delivery:RetryDelays must not be negative.")
            .Validate(o => o.EffectiveLease() > o.Timeout, "Delivery:LeaseDuration must be longer than Delivery:Timeout.")
            .ValidateOnStart();

        services.AddOptions<InstanceOptions>()
            .Bind(configuration.GetSection(InstanceOptions.Section))
            .PostConfigure(o => o.Name = string.IsNullOrWhiteSpace(o.Name) ? InstanceOptions.DefaultName() : o.Name.Trim())
            .Validate(o => o.Name.Length <= InstanceOptions.MaxName, $"Instance:Name must be at most {InstanceOptions.MaxName} characters.")
            .ValidateOnStart();

        services.AddSingleton(sp => new Outbox.RetryPolicy(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<DeliveryOptions>>().Value));
        services.AddSingleton<OutcomePlanner>();
        // The SSRF guard: the sender checks every connection, and Webhooks asks it when a URL is saved.
        services.AddSingleton<Destinations.IDestinationResolver, Destinations.DnsDestinationResolver>();
        services.AddSingleton<Destinations.DestinationGuard>();
        services.AddSingleton<DeliveryHttpClient>();
        services.AddSingleton<DeliverySender>();
        services.AddSingleton<OutboxInstance>();
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<NextDueTimer>();
        services.AddSingleton<WorkLoader>();
        services.AddSingleton<DeliveryQueries>();
        services.AddSingleton<ManualDelivery>();
        services.AddSingleton<DeliveryResend>();

        // The outbox: the only writers of delivery status and of a webhook's sending state, and the one
        // after-commit path. Observers of commits are registered by every feature that keeps derived state.
        services.AddSingleton<AfterCommit>();
        // For the DbContext's own interceptor: the observers need contexts, so they cannot be built before it.
        services.AddSingleton(sp => new Lazy<AfterCommit>(sp.GetRequiredService<AfterCommit>));
        services.AddSingleton<DrainWakeups>();
        services.AddSingleton<FreshClaims>();
        services.AddSingleton<ClosedWebhooks>();
        services.AddSingleton<ICommitObserver>(sp => sp.GetRequiredService<ClosedWebhooks>());
        services.AddSingleton<EventCache>();
        services.AddSingleton<ICommitObserver>(sp => sp.GetRequiredService<EventCache>());
        if (DatabaseOptions.ProviderOf(configuration) == DatabaseProvider.Postgres)
        {
            services.AddSingleton<ClusterRelay>();
            services.AddSingleton<ICommitObserver>(sp => sp.GetRequiredService<ClusterRelay>());
            services.AddSingleton<IClusterListener>(sp => sp.GetRequiredService<ClusterRelay>());
        }
        services.AddSingleton<OutboxAppender>();
        services.AddSingleton<OutboxClaimer>();
        services.AddSingleton<OutcomeWriter>();
        services.AddSingleton<LeaseRecovery>();
        services.AddSingleton<WebhookSwitch>();
        services.AddSingleton<OutboxDrain>();
        services.AddRetention(configuration);
        services.AddReplays();

        // Stop order is the reverse of this: Quartz stops claiming, then the dispatcher lets in-flight
        // attempts finish (handing back the rest), then the recorder writes what they produced.
        services.AddSingleton<AttemptRecorder>();
        services.AddHostedService(sp => sp.GetRequiredService<AttemptRecorder>());
        services.AddSingleton<DeliveryDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<DeliveryDispatcher>());

        // The drain is each instance's own, on its in-memory scheduler; the purge and the lease sweep run once per
        // cluster where instances share the database (ADR-021).
        var clustered = Data.DatabaseOptions.SharedByInstances(configuration);
        services.AddQuartz(quartz =>
        {
            quartz.AddJob<OutboxDrainJob>(job => job.WithIdentity(OutboxSignal.JobKey).StoreDurably());
            if (!clustered) quartz.AddRetentionJob();
            quartz.AddReplayJob();
            // Read from options when the scheduler is built, so configuration added late (test overrides) counts.
            quartz.AddTrigger((sp, trigger) => trigger
                .ForJob(OutboxSignal.JobKey)
                .WithIdentity(OutboxDrainJob.PollTrigger, "deliveries")
                .StartNow()
                .WithSimpleSchedule(s => s.WithInterval(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<DeliveryOptions>>().Value.PollInterval).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)));
        });
        if (clustered) services.AddOncePerClusterScheduler(configuration);
        services.AddQuartzHostedService(options => options.WaitForJobsToComplete = true);
        return services;
    }
}
