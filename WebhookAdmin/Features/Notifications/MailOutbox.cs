using Microsoft.EntityFrameworkCore;
using WebhookAdmin.Data;

namespace WebhookAdmin.Features.Notifications;

/// <summary>
/// The one writer of <see cref="NotificationMail"/> rows and their state machine: pending → sent, pending → pending
/// (a failed try, due again later), pending → failed (given up), and the end of a sent or failed one's life (retention).
/// Every other class asks it.
/// </summary>
public sealed class MailOutbox(IDbContextFactory<AppDbContext> dbFactory)
{
    public async Task AddAsync(NotificationMail mail, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.NotificationMails.Add(mail);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Pending emails due by <paramref name="now"/>, oldest first.</summary>
    public async Task<List<NotificationMail>> DueAsync(DateTime now, int take, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.NotificationMails.AsNoTracking()
            .Where(m => m.NextAttemptAt != null && m.NextAttemptAt <= now && m.Status == MailStatus.Pending)
            .OrderBy(m => m.NextAttemptAt).ThenBy(m => m.Id)
            .Take(take)
            .ToListAsync(cancellationToken);
    }

    public async Task SentAsync(long id, DateTime now, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.NotificationMails.Where(m => m.Id == id && m.Status == MailStatus.Pending).ExecuteUpdateAsync(m => m
            .SetProperty(x => x.Status, MailStatus.Sent)
            .SetProperty(x => x.Attempts, x => x.Attempts + 1)
            .SetProperty(x => x.SentAt, now)
            .SetProperty(x => x.NextAttemptAt, (DateTime?)null), cancellationToken);
    }

    /// <summary>A failed try: due again at <paramref name="retryAt"/>, or given up (failed) when it is null.</summary>
    public async Task TryFailedAsync(long id, string error, DateTime? retryAt, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.NotificationMails.Where(m => m.Id == id && m.Status == MailStatus.Pending).ExecuteUpdateAsync(m => m
            .SetProperty(x => x.Status, retryAt == null ? MailStatus.Failed : MailStatus.Pending)
            .SetProperty(x => x.Attempts, x => x.Attempts + 1)
            .SetProperty(x => x.LastError, error.Length > 2048 ? error[..2048] : error)
            .SetProperty(x => x.NextAttemptAt, retryAt), cancellationToken);
    }

    /// <summary>
    /// Retention of the email log: sent emails go after <paramref name="sentBefore"/> like delivered deliveries, given-up
    /// ones after <paramref name="failedBefore"/> like failed deliveries; a pending one is kept (it still has a try due).
    /// </summary>
    public async Task<int> PurgeAsync(DateTime sentBefore, DateTime failedBefore, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.NotificationMails
            .Where(m => (m.Status == MailStatus.Sent && m.CreatedAt < sentBefore) || (m.Status == MailStatus.Failed && m.CreatedAt < failedBefore))
            .ExecuteDeleteAsync(cancellationToken);
    }
}
