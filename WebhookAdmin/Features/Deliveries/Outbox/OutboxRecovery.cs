using Microsoft.EntityFrameworkCore;
using WebhookAdmin.Data;
using WebhookAdmin.Features.Events;

namespace WebhookAdmin.Features.Deliveries.Outbox;

/// <summary>
/// At start-up, deliveries a killed process had claimed but not finished go back to the outbox, so they
/// are sent again (at least once; receivers dedupe on <c>webhook-id</c>). With SQLite one process owns
/// the file, so every such claim is an orphan and is released at once.
/// </summary>
public sealed class OutboxRecovery(IDbContextFactory<AppDbContext> dbFactory, ILogger<OutboxRecovery> logger)
{
    public async Task RecoverAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // A test send or health check someone was waiting for is not replayed: its caller is gone.
        await db.Deliveries
            .Where(d => d.Status == DeliveryStatus.Delivering && d.Event!.Origin != EventOrigin.Published)
            .ExecuteUpdateAsync(s => s
                .SetProperty(d => d.Status, DeliveryStatus.Failed)
                .SetProperty(d => d.LastError, "interrupted by a restart")
                .SetProperty(d => d.LeaseOwner, (string?)null)
                .SetProperty(d => d.LeaseExpiresAt, (DateTime?)null), cancellationToken);
        var released = await db.Deliveries
            .Where(d => d.Status == DeliveryStatus.Delivering)
            .ExecuteUpdateAsync(s => s
                .SetProperty(d => d.Status, DeliveryStatus.Pending)
                .SetProperty(d => d.LeaseOwner, (string?)null)
                .SetProperty(d => d.LeaseExpiresAt, (DateTime?)null), cancellationToken);
        if (released > 0)
            logger.LogWarning("Recovered {Count} deliveries that were being sent when the app last stopped; they will be sent again", released);
    }
}
