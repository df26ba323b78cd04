using Microsoft.EntityFrameworkCore;
using WebhookAdmin.Data;

namespace WebhookAdmin.Features.Notifications;

/// <summary>One row of the administrators' list of notification emails.</summary>
public sealed record MailRow(long Id, DateTime CreatedAt, string To, string Subject, MailStatus Status, int Attempts, string? LastError, DateTime? SentAt);

/// <summary>The notification emails for administrators, newest first, so a failing SMTP server is seen.</summary>
public sealed class MailLog(IDbContextFactory<AppDbContext> dbFactory)
{
    public async Task<(List<MailRow> Rows, int Total)> PageAsync(int skip, int take, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var total = await db.NotificationMails.CountAsync(cancellationToken);
        var rows = await db.NotificationMails.AsNoTracking()
            .OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id)
            .Skip(skip).Take(take)
            .Select(m => new MailRow(m.Id, m.CreatedAt, m.To, m.Subject, m.Status, m.Attempts, m.LastError, m.SentAt))
            .ToListAsync(cancellationToken);
        return (rows, total);
    }
}
