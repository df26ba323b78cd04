using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WebhookAdmin.Data;
using WebhookAdmin.Features.Accounts;
using WebhookAdmin.Features.Deliveries;
using WebhookAdmin.Features.Webhooks;

namespace WebhookAdmin.Features.Dashboard;

/// <summary>
/// What the dashboard says about the history kept: how big the database is (administrators only: it is the whole
/// server's), how far back the deliveries the user can see go, and what retention keeps.
/// </summary>
public sealed class StorageQueries(IDbContextFactory<AppDbContext> dbFactory, IConfiguration configuration, IOptions<RetentionOptions> retention, TimeProvider time)
{
    public async Task<StorageFacts> FactsAsync(CurrentUser user, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var settings = retention.Value;
        return new StorageFacts(time.GetUtcNow().UtcDateTime, user.SeesEverything ? DatabaseSize() : null,
            await OldestKeptAsync(db, user, cancellationToken), settings.Period, settings.FailedPeriod, settings.Interval);
    }

    /// <summary>
    /// Ids grow with creation, so the oldest delivery is the lowest id: one seek of the primary key for everything, or of
    /// the (webhook, id) index per webhook for one person's, instead of reading their deliveries for a minimum date.
    /// </summary>
    private static async Task<DateTime?> OldestKeptAsync(AppDbContext db, CurrentUser user, CancellationToken cancellationToken)
    {
        long? oldest;
        if (user.SeesEverything)
        {
            oldest = await db.Deliveries.OrderBy(d => d.Id).Select(d => (long?)d.Id).FirstOrDefaultAsync(cancellationToken);
        }
        else
        {
            var firsts = await WebhookService.Visible(db, user).Select(w => db.Deliveries.Where(d => d.WebhookId == w.Id).Min(d => (long?)d.Id))
                .ToListAsync(cancellationToken);
            oldest = firsts.Min();
        }
        if (oldest is not { } id) return null;
        var createdAt = await db.Deliveries.Where(d => d.Id == id).Select(d => d.CreatedAt).FirstAsync(cancellationToken);
        return DateTime.SpecifyKind(createdAt, DateTimeKind.Utc);
    }

    private DatabaseSize? DatabaseSize() =>
        DatabaseConnection.FilePath(configuration) is { } path && File.Exists(path)
            ? new DatabaseSize(new FileInfo(path).Length, File.Exists(path + "-wal") ? new FileInfo(path + "-wal").Length : 0)
            : null;
}

/// <summary>The SQLite file and its write-ahead log (which the checkpointer empties into the file every minute).</summary>
public sealed record DatabaseSize(long FileBytes, long LogBytes)
{
    public long Total => FileBytes + LogBytes;
}

public sealed record StorageFacts(
    DateTime Now, DatabaseSize? Database, DateTime? OldestKeptAt, TimeSpan Period, TimeSpan FailedPeriod, TimeSpan Interval);
