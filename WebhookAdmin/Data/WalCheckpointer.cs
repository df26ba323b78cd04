using Microsoft.EntityFrameworkCore;

namespace WebhookAdmin.Data;

/// <summary>
/// Moves the write-ahead log into the database file in the background, and keeps the log short. SQLite's
/// automatic checkpoint runs inside whichever commit crosses 1,000 pages, stalling that writer (and, behind the
/// write gate, every other) for the copy and its fsync; here it happens off the hot path.
/// <para>
/// A PASSIVE checkpoint every second copies what it can without waiting for anyone. It never lets the log start
/// over, though: SQLite rewinds the log only when a writer begins while every frame is copied and no reader
/// still uses one, which never happens under constant writes. Measured: the log grew to 1–2 GB between the old
/// once-a-minute TRUNCATE, every read searched a wal-index that large, and the TRUNCATE then held every writer
/// for the copy of a gigabyte. So every few seconds a RESTART checkpoint runs inside the write gate, on the gate's
/// own connection: the hot-path writers wait for it in process (a few seconds of log, most of it already copied by
/// the passive ones) and the next commit rewinds the log, which keeps its file up to
/// <see cref="SqlitePragmas.LogSizeLimit"/> so that it is not cut and regrown every time (ADR-019). It waits
/// for readers only briefly: a long reader (a backup, a big query) makes it give up until the next time, and a
/// log held by one grows until that reader is done, as before.
/// </para>
/// </summary>
public sealed class WalCheckpointer(IDbContextFactory<AppDbContext> dbFactory, WriteGate writeGate, ILogger<WalCheckpointer> logger)
    : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    /// <summary>Every this many ticks the log is rewound (RESTART).</summary>
    private const int RestartEvery = 5;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        var ticks = 0;
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                if (++ticks % RestartEvery == 0) await RestartAsync(stoppingToken);
                else await PassiveAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "WAL checkpoint failed; SQLite retries it on the next tick");
            }
        }
    }

    private async Task PassiveAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(PASSIVE);", cancellationToken);
    }

    private async Task RestartAsync(CancellationToken cancellationToken)
    {
        // Copy first without the gate, so that inside it there is next to nothing left to copy and sync.
        await PassiveAsync(cancellationToken);
        using var lease = await writeGate.EnterAsync(cancellationToken);
        await using var command = lease.Connection.CreateCommand();
        // 20 ms for readers to finish with the log, not the gate's 10 s: the hot path waits behind this.
        command.CommandText = "PRAGMA busy_timeout=20; PRAGMA wal_checkpoint(RESTART); PRAGMA busy_timeout=10000;";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
