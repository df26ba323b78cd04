using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WebhookAdmin.Data;
using WebhookAdmin.Features.Deliveries.Outbox;
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
    IngestionService ingestion,
    WorkLoader loader,
    DeliveryDispatcher dispatcher,
    OutboxInstance instance,
    TimeProvider time,
    IOptions<DeliveryOptions> options)
{
    private TimeSpan Lease => options.Value.Timeout * 2 + TimeSpan.FromMinutes(1);

    public Task<ManualAttempt> HealthCheckAsync(string webhookId, CancellationToken cancellationToken) =>
        SendDirectedAsync(webhookId, new EventRecord
        {
            Id = EventIds.New(),
            Type = EventCatalog.HealthCheck,
            OccurredAt = Now,
            ReceivedAt = Now,
            Origin = EventOrigin.HealthCheck,
        }, AttemptKind.HealthCheck, cancellationToken);

    public async Task<ManualAttempt> TestAsync(string webhookId, string eventType, string? projectId, CancellationToken cancellationToken)
    {
        string? companyId = null;
        if (projectId is not null)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            companyId = await db.Projects.Where(p => p.Id == projectId).Select(p => p.CompanyId).FirstOrDefaultAsync(cancellationToken);
        }
        var (previous, current) = SampleEvents.JsonFor(eventType);
        return await SendDirectedAsync(webhookId, new EventRecord
        {
            Id = EventIds.New(),
            Type = eventType,
            ProjectId = projectId,
            CompanyId = companyId,
            ActorId = "webhookadmin-test",
            OccurredAt = Now,
            ReceivedAt = Now,
            PreviousValueJson = previous,
            CurrentValueJson = current,
            DeliveryCount = 1,
            Origin = EventOrigin.Test,
        }, AttemptKind.Test, cancellationToken);
    }

    /// <summary>
    /// One manual attempt now, whatever the status. The row is claimed first so the drain cannot send it
    /// at the same moment; one already being sent answers false.
    /// </summary>
    public async Task<bool> TryStartResendAsync(long deliveryId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var status = await db.Deliveries.Where(d => d.Id == deliveryId).Select(d => (DeliveryStatus?)d.Status).FirstOrDefaultAsync(cancellationToken);
        if (status is null or DeliveryStatus.Delivering) return false;

        var claimed = await db.Deliveries.Where(d => d.Id == deliveryId && d.Status == status)
            .ExecuteUpdateAsync(s => s
                .SetProperty(d => d.Status, DeliveryStatus.Delivering)
                .SetProperty(d => d.LeaseOwner, instance.Id)
                .SetProperty(d => d.LeaseExpiresAt, Now + Lease), cancellationToken);
        if (claimed == 0) return false;

        var completion = new TaskCompletionSource<AttemptResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var work = await loader.LoadAsync(db, [deliveryId], _ => AttemptKind.Resend, _ => completion, cancellationToken);
        if (work.Count == 0)
        {
            // Its webhook was deleted a moment ago: give the row back as it was instead of leaving it claimed
            // (the lease sweep would make it pending, and the drain would then mark a delivered row skipped).
            await db.Deliveries.Where(d => d.Id == deliveryId && d.LeaseOwner == instance.Id && d.Status == DeliveryStatus.Delivering)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(d => d.Status, status.Value)
                    .SetProperty(d => d.LeaseOwner, (string?)null)
                    .SetProperty(d => d.LeaseExpiresAt, (DateTime?)null), cancellationToken);
            return false;
        }
        // The status before the claim is what a failed resend returns to.
        var item = work[0];
        var resend = new DeliveryWork
        {
            DeliveryId = item.DeliveryId, Webhook = item.Webhook, Event = item.Event, Kind = AttemptKind.Resend,
            AttemptNumber = item.AttemptNumber, ScheduledAttemptsBefore = item.ScheduledAttemptsBefore,
            StatusBefore = status.Value, NextAttemptAtBefore = item.NextAttemptAtBefore, Completion = completion,
        };
        _ = dispatcher.SendNowAsync(resend, CancellationToken.None);
        return true;
    }

    private async Task<ManualAttempt> SendDirectedAsync(string webhookId, EventRecord evt, AttemptKind kind, CancellationToken cancellationToken)
    {
        var deliveryId = await ingestion.WriteDirectedAsync(webhookId, evt, instance.Id, Lease, cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var completion = new TaskCompletionSource<AttemptResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var work = await loader.LoadAsync(db, [deliveryId], _ => kind, _ => completion, cancellationToken);
        if (work.Count == 0) throw new InvalidOperationException($"Webhook {webhookId} disappeared before its {kind} could be sent.");
        var result = await dispatcher.SendNowAsync(work[0], cancellationToken);
        return new ManualAttempt(deliveryId, result);
    }

    private DateTime Now => time.GetUtcNow().UtcDateTime;
}
