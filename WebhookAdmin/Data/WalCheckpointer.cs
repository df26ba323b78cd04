using Microsoft.EntityFrameworkCore;

namespace WebhookAdmin.Data;

/// <summary>
/// Moves the write-ahead log into the database file in the background. SQLite's automatic checkpoint runs
/// inside whichever commit crosses 1,000 pages, stalling that writer (and, behind the write gate, every
/// other) for the copy and its fsync; here it happens off the hot path, without blocking writers.
/// </summary>
public sealed class WalCheckpointer(IDbContextFactory<AppDbContext> dbFactory, ILogger<WalCheckpointer> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        var ticks = 0;
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                // PASSIVE never waits for writers or readers; every minute TRUNCATE also shrinks the file.
                var sql = ++ticks % 60 == 0 ? "PRAGMA wal_checkpoint(TRUNCATE);" : "PRAGMA wal_checkpoint(PASSIVE);";
                await using var db = await dbFactory.CreateDbContextAsync(stoppingToken);
                await db.Database.ExecuteSqlRawAsync(sql, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "WAL checkpoint failed; SQLite retries it on the next tick");
            }
        }
    }
}
