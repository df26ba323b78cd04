using Quartz;
using WebhookAdmin.Features.Deliveries.Outbox;
using WebhookAdmin.Features.Deliveries.Sending;

namespace WebhookAdmin.Features.Deliveries;

public static class DeliveriesServices
{
    public static IServiceCollection AddDeliveries(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(DeliveryOptions.Section);
        services.AddOptions<DeliveryOptions>()
            .Bind(section)
            // The binder appends configured array items to the default array ([10 s, 1 min, 10 min, 1 h] + yours);
            // a configured Delivery:RetryDelays must replace the defaults, as the contract describes.
            .PostConfigure(options =>
            {
                if (section.GetSection(nameof(DeliveryOptions.RetryDelays)).Get<TimeSpan[]>() is { Length: > 0 } configured)
                    options.RetryDelays = configured;
            })
            .ValidateDataAnnotations()
            .Validate(o => o.Timeout > TimeSpan.Zero, "Delivery:Timeout must be positive.")
            .Validate(o => o.RetryDelays.All(d => d >= TimeSpan.Zero), "Delivery:RetryDelays must not be negative.")
            .ValidateOnStart();

        services.AddSingleton(sp => new Outbox.RetryPolicy(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<DeliveryOptions>>().Value));
        services.AddSingleton<OutcomePlanner>();
        services.AddSingleton<DeliveryHttpClient>();
        services.AddSingleton<DeliverySender>();
        services.AddSingleton<OutboxInstance>();
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<NextDueTimer>();
        services.AddSingleton<WebhookGate>();
        services.AddSingleton<WorkLoader>();
        services.AddSingleton<OutboxClaimer>();
        services.AddSingleton<OutboxDrain>();
        services.AddSingleton<OutboxRecovery>();
        services.AddSingleton<DeliveryQueries>();
        services.AddSingleton<DeliveryHealth>();
        services.AddSingleton<ManualDelivery>();

        // Stop order is the reverse of this: Quartz stops claiming, then the dispatcher lets in-flight
        // attempts finish (handing back the rest), then the recorder writes what they produced.
        services.AddSingleton<AttemptRecorder>();
        services.AddHostedService(sp => sp.GetRequiredService<AttemptRecorder>());
        services.AddSingleton<DeliveryDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<DeliveryDispatcher>());

        var pollInterval = configuration.GetSection(DeliveryOptions.Section).GetValue<TimeSpan?>(nameof(DeliveryOptions.PollInterval))
                           ?? new DeliveryOptions().PollInterval;
        services.AddQuartz(quartz =>
        {
            quartz.AddJob<OutboxDrainJob>(job => job.WithIdentity(OutboxSignal.JobKey).StoreDurably());
            quartz.AddTrigger(trigger => trigger
                .ForJob(OutboxSignal.JobKey)
                .WithIdentity("outbox-drain-poll", "deliveries")
                .StartNow()
                .WithSimpleSchedule(s => s.WithInterval(pollInterval).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)));
        });
        services.AddQuartzHostedService(options => options.WaitForJobsToComplete = true);
        return services;
    }
}
