using Microsoft.EntityFrameworkCore;
using WebhookAdmin.Data;

namespace WebhookAdmin.Features.Deliveries.Sending;

/// <summary>Events as the payload needs them, read from the database with the names they were published under.</summary>
public static class EventSnapshots
{
    public static IQueryable<EventSnapshot> Query(AppDbContext db, IReadOnlyCollection<string> eventIds) =>
        db.Events.AsNoTracking().Where(e => eventIds.Contains(e.Id))
            .Select(e => new EventSnapshot(e.Id, e.Type, e.OccurredAt, e.CompanyId, e.CompanyName,
                e.ProjectId, e.ProjectName, e.ActorId, e.PreviousValueJson, e.CurrentValueJson, e.ReceivedAt, e.TraceParent, e.SubjectJson));
}
