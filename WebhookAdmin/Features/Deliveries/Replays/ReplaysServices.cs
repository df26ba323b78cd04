using Microsoft.Extensions.Options;
using Quartz;
using WebhookAdmin.Features.Deliveries.Outbox;

namespace WebhookAdmin.Features.Deliveries.Replays;

public static class ReplaysServices
{
    public static IServiceCollection AddReplays(this IServiceCollection services)
    {
        services.AddSingleton<ReplaySignal>();
        services.AddSingleton<ReplayWorker>();
        services.AddSingleton<ReplayService>();
        services.AddSingleton<ICommitObserver, ReplayWakeups>();
        return services;
    }

    /// <summary>
    /// On each instance's own scheduler, like the drain (a replay's lease keeps instances apart): woken by its signal,
    /// with the drain's safety poll (<c>Delivery:PollInterval</c>) for outcomes committed by another instance and a
    /// replay whose instance died.
    /// </summary>
    public static void AddReplayJob(this IQuartzBuilder quartz) =>
        quartz.AddRepeatingJob<ReplayJob>(ReplayJob.Key,
            sp => sp.GetRequiredService<IOptions<DeliveryOptions>>().Value.PollInterval, firstAfterOneInterval: false);
}
