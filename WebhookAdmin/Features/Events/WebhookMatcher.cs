using Microsoft.EntityFrameworkCore;
using WebhookAdmin.Data;

namespace WebhookAdmin.Features.Events;

public sealed record WebhookMatch(string WebhookId, bool Enabled);

/// <summary>
/// Which webhooks an event goes to (contract, section 3): its <c>events</c> is empty or lists the type,
/// its <c>projectIds</c> is empty or lists the project, and its owner is a member of the project at this
/// moment. Disabled webhooks match too: their delivery is stored as held.
/// </summary>
public sealed class WebhookMatcher
{
    public Task<List<WebhookMatch>> MatchAsync(AppDbContext db, string eventType, string projectId, CancellationToken cancellationToken) =>
        db.Webhooks.AsNoTracking()
            .Where(w => (w.Events.Count == 0 || w.Events.Contains(eventType))
                        && (w.ProjectIds.Count == 0 || w.ProjectIds.Contains(projectId))
                        && db.Memberships.Any(m => m.UserId == w.OwnerId && m.ProjectId == projectId))
            .Select(w => new WebhookMatch(w.Id, w.Enabled))
            .ToListAsync(cancellationToken);
}
