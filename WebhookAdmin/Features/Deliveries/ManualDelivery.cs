using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WebhookAdmin.Data;
using WebhookAdmin.Features.Deliveries.Outbox;
using WebhookAdmin.Features.Deliveries.Reasons;
using WebhookAdmin.Features.Deliveries.Sending;
using WebhookAdmin.Features.Events;

namespace WebhookAdmin.Features.Deliveries;

public sealed record ManualAttempt(long DeliveryId, AttemptResult Result);

/// <summary>
/// Attempts a person asks for: a test event, the health check on re-enable, a resend. Each is a real,
/// signed delivery recorded in the log like any other, sent at once, and the caller gets the receiver's answer.
/// </summary>
public sealed class ManualDelivery(
    IDbContextFactory<AppDbContext> dbFactory,
    OutboxAppender appender,
    OutboxClaimer claimer,
    OutboxInstance instance,
    WorkLoader loader,
    IWebhookSnapshots webhooks,
    DeliveryDispatcher dispatcher,
    AttemptRecorder recorder,
    TimeProvider time,
    IOptions<DeliveryOptions> options)
{
    /// <summary>Null when the webhook does not exist.</summary>
    public Task<ManualAttempt?> HealthCheckAsync(string webhookId, CancellationToken cancellationToken) =>
        SendClaimedAsync(webhookId, new EventRecord
        {
            Id = EventIds.New(),
            Type = EventCatalog.HealthCheck,
            OccurredAt = Now,
            ReceivedAt = Now,
            DeliveryCount = 1,
            Origin = EventOrigin.HealthCheck,
        }, AttemptKind.HealthCheck, cancellationToken);

    /// <summary>
    /// A test event of <paramref name="eventType"/> with the given values, as if from <paramref name="projectId"/>;
    /// null when the webhook does not exist.
    /// </summary>
    public async Task<ManualAttempt?> TestAsync(string webhookId, string eventType, string? projectId,
        string? previousValueJson, string? currentValueJson, CancellationToken cancellationToken)
    {
        string? companyId = null;
        if (projectId is not null)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            companyId = await db.Projects.Where(p => p.Id == projectId).Select(p => p.CompanyId).FirstOrDefaultAsync(cancellationToken);
        }
        return await SendClaimedAsync(webhookId, new EventRecord
        {
            Id = EventIds.New(),
            Type = eventType,
            ProjectId = projectId,
            CompanyId = companyId,
            ActorId = "webhookadmin-test",
            OccurredAt = Now,
            ReceivedAt = Now,
            PreviousValueJson = previousValueJson,
            CurrentValueJson = currentValueJson,
            DeliveryCount = 1,
            Origin = EventOrigin.Test,
        }, AttemptKind.Test, cancellationToken);
    }

    /// <summary>
    /// One manual attempt now, whatever the status. The row is claimed first so the drain cannot send it
    /// at the same moment; one already being sent (or gone) answers false.
    /// </summary>
    public async Task<bool> TryStartResendAsync(long deliveryId, CancellationToken cancellationToken)
    {
        if (await claimer.ClaimForResendAsync(deliveryId, Now, options.Value.EffectiveLease(), cancellationToken) is not { } row) return false;

        var completion = NewCompletion();
        var orphans = new List<ClaimedRow>();
        var work = await loader.LoadAsync([row], AttemptKind.Resend, orphans, cancellationToken, completion);
        if (work.Count == 0)
        {
            // Its webhook was deleted a moment ago: the claim goes back (the database makes it skipped).
            recorder.Record(new NotSent(row.Id, row.Lease, Because.WebhookDeleted));
            return false;
        }
        // Not the caller's token: the resend goes on after the request that asked for it has been answered.
        _ = dispatcher.SendNowAsync(work[0], CancellationToken.None);
        return true;
    }

    private async Task<ManualAttempt?> SendClaimedAsync(string webhookId, EventRecord evt, AttemptKind kind, CancellationToken cancellationToken)
    {
        if (await webhooks.FindAsync(webhookId, cancellationToken) is not { } webhook) return null;
        var snapshot = await SnapshotAsync(evt, cancellationToken);
        var lease = instance.NewLease();
        var deliveryId = await appender.AppendClaimedAsync(evt, snapshot, webhookId, lease, Now + options.Value.EffectiveLease(), cancellationToken);
        var work = new DeliveryWork
        {
            DeliveryId = deliveryId,
            Webhook = webhook,
            Event = snapshot,
            Kind = kind,
            AttemptNumber = 1,
            ScheduledAttemptsBefore = 0,
            Lease = lease,
            Completion = NewCompletion(),
        };
        return new ManualAttempt(deliveryId, await dispatcher.SendNowAsync(work, cancellationToken));
    }

    /// <summary>The event as the payload shows it, with the company and project names.</summary>
    private async Task<EventSnapshot> SnapshotAsync(EventRecord evt, CancellationToken cancellationToken)
    {
        string? projectName = null, companyName = null;
        if (evt.ProjectId is not null)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var names = await db.Projects.Where(p => p.Id == evt.ProjectId)
                .Select(p => new { p.Name, Company = p.Company!.Name }).FirstOrDefaultAsync(cancellationToken);
            (projectName, companyName) = (names?.Name, names?.Company);
        }
        return new EventSnapshot(evt.Id, evt.Type, evt.OccurredAt, evt.CompanyId, companyName, evt.ProjectId, projectName,
            evt.ActorId, evt.PreviousValueJson, evt.CurrentValueJson);
    }

    private static TaskCompletionSource<AttemptResult> NewCompletion() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private DateTime Now => time.GetUtcNow().UtcDateTime;
}
