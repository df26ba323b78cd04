using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace WebhookAdmin.Data;

/// <summary>
/// Serializes the hot-path writers of this process (ingestion, claims, the attempt recorder) and lends them
/// one long-lived SQLite connection while they hold the gate.
/// <para>
/// Why one connection: in WAL mode a connection drops its whole page cache whenever another connection has
/// committed since its last transaction. With each writer on its own pooled connection, every claim,
/// record batch and ingestion re-read (and re-parsed) the index pages the previous one had just written;
/// profiles showed a third of SQLite's time in <c>btreeInitPage</c>. A connection's own commits keep its
/// cache, so the writers share one, with a large cache and no memory map (a map is remapped every time a
/// checkpoint grows the file). Its prepared statements are kept too.
/// </para>
/// <para>
/// Why a gate: SQLite allows one writer at a time and makes the others poll with sleeps of 1–100 ms
/// (busy_timeout); queueing in process keeps commits back to back. Rare writers elsewhere (settings, webhook
/// edits) use their own pooled connections and still rely on busy_timeout.
/// </para>
/// </summary>
public sealed class WriteGate(IConfiguration configuration) : IAsyncDisposable
{
    // 32 MiB of page cache: the outbox's hot index pages and the tail of every table stay in memory. Temporary
    // storage in memory: a savepoint's statement journal otherwise goes to a temporary file (measured: a group
    // commit of 100 rows took 7.7 ms with it, 5.2 ms without, and the drain fell seconds behind).
    private const string Pragmas = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON; " +
                                   "PRAGMA wal_autocheckpoint=0; PRAGMA mmap_size=0; PRAGMA cache_size=-32768; PRAGMA temp_store=MEMORY; " +
                                   SqlitePragmas.LogSizeLimit;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);
    private SqliteConnection? _connection;

    /// <summary>Waits for the gate. Dispose the lease to release it; use its connection only until then.</summary>
    public async ValueTask<WriteLease> EnterAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        Interlocked.Increment(ref _entries);
        return new WriteLease(this);
    }

    /// <summary>How many times the gate was entered: a background writer (retention) reads it to tell whether others are writing.</summary>
    public long Entries => Interlocked.Read(ref _entries);
    private long _entries;

    private SqliteConnection Connection()
    {
        if (_connection is { State: System.Data.ConnectionState.Open }) return _connection;
        ResetConnection();
        // Pooling=False: this connection lives as long as the process and must not be shared through the pool.
        var builder = new SqliteConnectionStringBuilder(DatabaseConnection.String(configuration)) { Pooling = false };
        var connection = new SqliteConnection(builder.ConnectionString);
        connection.Open();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = Pragmas;
            command.ExecuteNonQuery();
        }
        return _connection = connection;
    }

    /// <summary>A statement prepared once on the gate's connection and reused by every later holder.</summary>
    private SqliteCommand Command(string sql, string[] parameterNames, SqliteTransaction? transaction)
    {
        var connection = Connection();
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = (SqliteCommand)PreparedSql.Create(connection, null, sql, parameterNames);
            _commands[sql] = command;
        }
        command.Transaction = transaction;
        return command;
    }

    /// <summary>
    /// Makes every commit made so far survive a power cut: an fsync of the write-ahead log. The connection runs
    /// with <c>synchronous=NORMAL</c>, under which SQLite syncs the log only at checkpoints; letting SQLite sync at
    /// commit (<c>FULL</c>) would do the same fsync while the gate is held, and measured here that held it 5–10 ms
    /// per commit (ext4 flushes every file's pending writes with it), which stalled claims and the recorder behind
    /// ingestion. Called after the gate is released, so the other writers go on meanwhile, and one fsync covers
    /// every commit before it, whoever made them. A log that was checkpointed into the database file and removed
    /// has nothing left to sync: the checkpoint synced the database file first.
    /// </summary>
    public void FlushLog()
    {
        var log = _logPath ??= LogPath();
        try
        {
            // Write access: .NET only asks the kernel to fsync a handle it may write through.
            using var file = new FileStream(log, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
            file.Flush(flushToDisk: true);
            Interlocked.Increment(ref _logFlushes);
        }
        catch (FileNotFoundException)
        {
        }
    }

    /// <summary>How many times <see cref="FlushLog"/> synced the log (it shows the durable commits in tests).</summary>
    public long LogFlushes => Interlocked.Read(ref _logFlushes);
    private long _logFlushes;
    private string? _logPath;

    /// <summary>SQLite names the log after the database file; a relative path is relative to the working directory, as for SQLite.</summary>
    private string LogPath() =>
        Path.GetFullPath(new SqliteConnectionStringBuilder(DatabaseConnection.String(configuration)).DataSource) + "-wal";

    /// <summary>After a failure the connection may be in an unknown state: the next holder starts afresh.</summary>
    private void ResetConnection()
    {
        foreach (var command in _commands.Values) command.Dispose();
        _commands.Clear();
        _connection?.Dispose();
        _connection = null;
    }

    public async ValueTask DisposeAsync()
    {
        // A holder stuck past shutdown keeps the connection; the process is ending anyway.
        if (await _gate.WaitAsync(TimeSpan.FromSeconds(5))) ResetConnection();
    }

    /// <summary>The right to write, and the connection to write with, until disposed.</summary>
    public sealed class WriteLease(WriteGate owner) : IDisposable
    {
        private int _released;

        public SqliteConnection Connection => owner.Connection();

        /// <summary>A cached prepared statement, enlisted in <paramref name="transaction"/> (or none).</summary>
        public DbCommand Command(string sql, SqliteTransaction? transaction, params string[] parameterNames) =>
            owner.Command(sql, parameterNames, transaction);

        /// <summary>Drops the connection, for a holder whose work failed half way.</summary>
        public void Reset() => owner.ResetConnection();

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) owner._gate.Release();
        }
    }
}
