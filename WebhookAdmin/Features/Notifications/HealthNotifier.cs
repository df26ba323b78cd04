using Microsoft.Extensions.Options;
using WebhookAdmin.Features.Deliveries;
using WebhookAdmin.Features.Events;

namespace WebhookAdmin.Features.Notifications;

/// <summary>
/// Turns each queued <see cref="HealthNotice"/> into what it promises, off the writer's thread: a health event through
/// ingestion (stored with its deliveries, so signed, retried and held like any), and an email to the owner in the
/// mail outbox, sent by <see cref="MailDeliveryJob"/>. One notice failing is logged and the next one goes on.
/// </summary>
public sealed class HealthNotifier(
    HealthNotices queue, HealthFactsReader facts, IngestionService ingestion, MailOutbox mails, MailSignal mailSignal,
    PublicUrl publicUrl, IOptions<NotificationOptions> options, IOptions<DeliveryOptions> delivery, ILogger<HealthNotifier> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var notice in queue.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await HandleAsync(notice, stoppingToken);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogError(e, "The {Kind} notice about webhook {WebhookId} could not be handled", notice.Kind, notice.Change.WebhookId);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: notices still queued are not kept (ADR-018).
        }
    }

    public async Task HandleAsync(HealthNotice notice, CancellationToken cancellationToken)
    {
        if (await facts.ReadAsync(notice.Change.WebhookId, cancellationToken) is not { } known) return;
        // The email first: once the health event is out, what this notice does is settled (the tests rely on it).
        if (WantsEmail(notice, known)) await WriteEmailAsync(notice, known, cancellationToken);
        var subject = HealthSubject.Of(notice, known);
        await ingestion.PublishHealthAsync(new HealthEventRequest(HealthSubject.EventType(notice.Kind), known.Webhook.Id,
            known.Webhook.OwnerId, subject.ToJson(), notice.SeenAt), cancellationToken);
    }

    private bool WantsEmail(HealthNotice notice, HealthFacts known) =>
        options.Value.EmailsOn && known.OwnerWantsEmails && known.OwnerEmail.Length > 0
        && HealthNoticeRules.EmailsOwner(notice.Kind, notice.Change, known.Webhook.OwnerId);

    private async Task WriteEmailAsync(HealthNotice notice, HealthFacts known, CancellationToken cancellationToken)
    {
        var attemptsLeft = HealthNoticeRules.AttemptsLeft(delivery.Value.MaxAttempts, known.MostAttemptsMade, notice.Change.Streak);
        var words = MailComposer.Compose(notice.Kind, known, notice, attemptsLeft, publicUrl.Value);
        await mails.AddAsync(new NotificationMail
        {
            WebhookId = known.Webhook.Id,
            UserId = known.Webhook.OwnerId,
            To = known.OwnerEmail,
            Kind = notice.Kind,
            Subject = words.Subject,
            Body = words.Body,
            CreatedAt = notice.SeenAt,
            Status = MailStatus.Pending,
            NextAttemptAt = notice.SeenAt,
        }, cancellationToken);
        await mailSignal.WakeAsync();
    }
}
