using Microsoft.EntityFrameworkCore;
using WebhookAdmin.Data;

namespace WebhookAdmin.Features.Deliveries.Sending;

/// <summary>Events as the payload needs them, with company and project names, read from the database.</summary>
public static class EventSnapshots
{
    public static IQueryable<EventSnapshot> Query(AppDbContext db, IReadOnlyCollection<string> eventIds) =>
        from e in db.Events.AsNoTracking()
        where eventIds.Contains(e.Id)
        join p in db.Projects on e.ProjectId equals p.Id into projects
        from p in projects.DefaultIfEmpty()
        join c in db.Companies on e.CompanyId equals c.Id into companies
        from c in companies.DefaultIfEmpty()
        select new EventSnapshot(e.Id, e.Type, e.OccurredAt, e.CompanyId, c == null ? null : c.Name,
            e.ProjectId, p == null ? null : p.Name, e.ActorId, e.PreviousValueJson, e.CurrentValueJson);
}
