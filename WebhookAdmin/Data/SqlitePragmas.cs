using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace WebhookAdmin.Data;

/// <summary>
/// Per-connection SQLite settings. WAL itself is set once on the file at start-up (it persists);
/// <c>synchronous</c>, <c>busy_timeout</c> and <c>foreign_keys</c> belong to each physical connection, so
/// they are set the first time a pooled connection is opened (the native handle identifies it).
/// </summary>
public sealed class SqlitePragmas : DbConnectionInterceptor
{
    // NORMAL in WAL mode survives a crash of the process (what a 202 promises against); only an OS
    // crash or power cut can lose the last commits. FULL would add an fsync to every transaction.
    // wal_autocheckpoint=0: checkpoints run in the background (WalCheckpointer), not inside a commit.
    // No memory map: each pooled connection maps the file separately, every page it touches counts again
    // in the working set (hundreds of MB under a large log), and the hot path reads through the write
    // gate's own connection (WriteGate), whose page cache is not emptied by its own commits.
    private const string Pragmas = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON; " +
                                   "PRAGMA wal_autocheckpoint=0; PRAGMA mmap_size=0; " + LogSizeLimit;

    /// <summary>
    /// What the write-ahead log file is cut back to when a writer rewinds it, on every connection alike (whichever
    /// writes first after a checkpoint does the cut). 512 MiB, above the few seconds of log between the
    /// checkpointer's rewinds even at full rate: with 64 MiB the file was cut and grown again every five seconds,
    /// and on this ext4 (mounted with <c>discard</c>) freeing and reallocating those blocks stalled the commit that
    /// did it for 100–600 ms, which was the p99 of every stage (ADR-019). The cost is disk space the log keeps.
    /// </summary>
    public const string LogSizeLimit = "PRAGMA journal_size_limit=536870912;";
    private readonly ConditionalWeakTable<object, object> _configured = [];

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (!IsNew(connection)) return;
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (!IsNew(connection)) return;
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private bool IsNew(DbConnection connection)
    {
        object key = connection is SqliteConnection { Handle: { } handle } ? handle : connection;
        return _configured.TryAdd(key, this);
    }
}
