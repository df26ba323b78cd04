using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WebhookAdmin.Data;
using WebhookAdmin.Features.Deliveries.Outbox;
using WebhookAdmin.Features.Deliveries.Reasons;
using WebhookAdmin.Features.Deliveries.Sending;
using WebhookAdmin.Features.Deliveries.Tracing;
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
        // The names as of now are part of the event, like a published one's.
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var project = projectId is null ? null : await db.Projects.Where(p => p.Id == projectId)
            .Select(p => new { p.Name, p.CompanyId, Company = p.Company!.Name }).FirstOrDefaultAsync(cancellationToken);
        return await SendClaimedAsync(webhookId, new EventRecord
        {
            Id = EventIds.New(),
            Type = eventType,
            ProjectId = projectId,
            CompanyId = project?.CompanyId,
            ProjectName = project?.Name,
            CompanyName = project?.Company,
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
        // Traced like a published event, in the trace of the request that asked for it.
        var trace = EventTrace.StartEvent(evt.Id, evt.Type, evt.ProjectId);
        evt.TraceParent = EventTrace.TraceParentOf(trace);
        var snapshot = new EventSnapshot(evt.Id, evt.Type, evt.OccurredAt, evt.CompanyId, evt.CompanyName, evt.ProjectId,
            evt.ProjectName, evt.ActorId, evt.PreviousValueJson, evt.CurrentValueJson, evt.ReceivedAt, evt.TraceParent);
        var lease = instance.NewLease();
        long deliveryId;
        using (trace)
            deliveryId = await appender.AppendClaimedAsync(evt, snapshot, webhookId, lease, Now + options.Value.EffectiveLease(), cancellationToken);
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

    private static TaskCompletionSource<AttemptResult> NewCompletion() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private DateTime Now => time.GetUtcNow().UtcDateTime;
}
