using Microsoft.Extensions.Options;
using Quartz;

namespace WebhookAdmin.Features.Notifications;

/// <summary>
/// Sends the emails that are due, one by one, and records each outcome through <see cref="MailOutbox"/>; first it
/// lets the old ones go (<c>Retention:Period</c>, <c>Retention:FailedPeriod</c>). Thin and
/// never concurrent with itself; it runs on its own Quartz thread, so an SMTP server that hangs or is down delays
/// only emails, never a delivery.
/// </summary>
[DisallowConcurrentExecution]
public sealed class MailDeliveryJob(
    MailOutbox outbox, SmtpMailSender sender, MailRetryPolicy retries, IOptions<NotificationOptions> options,
    IOptions<Deliveries.RetentionOptions> retention, TimeProvider time, ILogger<MailDeliveryJob> logger) : IJob
{
    public static readonly JobKey Key = new("notification-mail", "notifications");
    private const int Batch = 50;

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        // The log ages like the deliveries it is about, whether or not email is on now.
        await outbox.PurgeAsync(Now - retention.Value.Period, Now - retention.Value.FailedPeriod, cancellationToken);
        if (!options.Value.EmailsOn) return;
        foreach (var mail in await outbox.DueAsync(Now, Batch, cancellationToken))
        {
            try
            {
                await sender.SendAsync(mail, cancellationToken);
                await outbox.SentAsync(mail.Id, Now, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                var tries = mail.Attempts + 1;
                var retryAt = retries.NextTry(tries, Now);
                // The exception's message only: MailKit's never holds the password, and a stack trace says nothing to an operator.
                logger.LogWarning("Email {MailId} to {To} about webhook {WebhookId} failed (try {Try} of {MaxTries}): {Error}; {Next}",
                    mail.Id, mail.To, mail.WebhookId, tries, retries.MaxTries, e.Message, retryAt is null ? "given up" : $"next try at {retryAt:O}");
                await outbox.TryFailedAsync(mail.Id, $"{e.GetType().Name}: {e.Message}", retryAt, cancellationToken);
            }
        }
    }

    private DateTime Now => time.GetUtcNow().UtcDateTime;
}

/// <summary>Starts a mail run now (a new email was written); the poll picks up retries.</summary>
public sealed class MailSignal(ISchedulerFactory schedulers, ILogger<MailSignal> logger)
{
    public async Task WakeAsync()
    {
        try
        {
            var scheduler = await schedulers.GetScheduler();
            if (await scheduler.GetStatus() is not SchedulerStatus.Shutdown) await scheduler.TriggerJob(MailDeliveryJob.Key);
        }
        catch (SchedulerException e)
        {
            // The poll sends it a little later.
            logger.LogWarning(e, "Could not start the mail job");
        }
    }
}
