using Microsoft.Extensions.Options;
using Quartz;
using WebhookAdmin.Features.Deliveries.Outbox;

namespace WebhookAdmin.Features.Notifications;

/// <summary>
/// Emails and health events about webhooks' health (ADR-018). Depends on Deliveries (the committed changes), Webhooks
/// (the webhook object), Events (ingestion) and Accounts (the owner); none of them depends on it.
/// </summary>
public static class NotificationsServices
{
    public static IServiceCollection AddNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<NotificationOptions>()
            .Bind(configuration.GetSection(NotificationOptions.Section))
            .PostConfigure(o => { if (o.RetryDelays.Length == 0) o.RetryDelays = NotificationOptions.DefaultRetryDelays; })
            .ValidateDataAnnotations()
            .Validate(o => !o.EmailsOn || !string.IsNullOrWhiteSpace(o.Smtp.From), "Notifications:Smtp:From is required when Notifications:Smtp:Host is set.")
            .Validate(o => !o.EmailsOn || MimeKit.MailboxAddress.TryParse(o.Smtp.From, out _), "Notifications:Smtp:From must be an email address, e.g. \"WebhookAdmin <webhooks@example.com>\".")
            .Validate(o => o.RetryDelays.All(d => d > TimeSpan.Zero), "Notifications:RetryDelays must all be positive.")
            .Validate(o => o.PollInterval >= TimeSpan.FromSeconds(1), "Notifications:PollInterval must be at least one second.")
            .ValidateOnStart();
        services.AddSingleton<HealthNotices>();
        services.AddSingleton<ICommitObserver>(sp => sp.GetRequiredService<HealthNotices>());
        services.AddSingleton<HealthFactsReader>();
        services.AddSingleton<MailOutbox>();
        services.AddSingleton<MailSignal>();
        services.AddSingleton<PublicUrl>();
        services.AddSingleton<SmtpMailSender>();
        services.AddSingleton<MailLog>();
        services.AddSingleton(sp => new MailRetryPolicy(sp.GetRequiredService<IOptions<NotificationOptions>>().Value.RetryDelays));
        services.AddSingleton<HealthNotifier>();
        services.AddHostedService(sp => sp.GetRequiredService<HealthNotifier>());
        services.AddQuartz(quartz =>
        {
            quartz.AddJob<MailDeliveryJob>(job => job.WithIdentity(MailDeliveryJob.Key).StoreDurably());
            quartz.AddTrigger((sp, trigger) => trigger
                .ForJob(MailDeliveryJob.Key)
                .WithIdentity("notification-mail-poll", "notifications")
                .StartNow()
                .WithSimpleSchedule(s => s.WithInterval(sp.GetRequiredService<IOptions<NotificationOptions>>().Value.PollInterval)
                    .RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)));
        });
        return services;
    }
}
