using System.Collections.Concurrent;
using System.Data.Common;

namespace WebhookAdmin.Data;

/// <summary>
/// Serializes the hot-path writers of this process (ingestion, claims, the attempt recorder) and lends them
/// one long-lived connection while they hold the gate (the provider opens it: <see cref="DatabaseEngine"/>).
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
/// <para>
/// On PostgreSQL, which takes concurrent writers, the gate lends several such connections at once
/// (<see cref="DatabaseEngine.WriteConnections"/>), each with its prepared statements: one connection made every
/// statement of the instance wait for the round trips of the one before. Other instances write beside them the
/// same way; the statements' guards, row locks and leases keep them all apart.
/// </para>
/// </summary>
public sealed class WriteGate(DatabaseEngine engine) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(engine.WriteConnections, engine.WriteConnections);
    private readonly ConcurrentStack<Writer> _idle =
        new(Enumerable.Range(0, engine.WriteConnections).Select(_ => new Writer(engine)));

    /// <summary>Waits for the gate. Dispose the lease to release it; use its connection only until then.</summary>
    public async ValueTask<WriteLease> EnterAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        Interlocked.Increment(ref _entries);
        _idle.TryPop(out var writer);
        return new WriteLease(this, writer!);
    }

    /// <summary>How many times the gate was entered: a background writer (retention) reads it to tell whether others are writing.</summary>
    public long Entries => Interlocked.Read(ref _entries);
    private long _entries;

    /// <summary>The provider behind the gate, for what its holders bind (<see cref="DatabaseEngine.List"/>).</summary>
    public DatabaseEngine Engine => engine;

    /// <summary>
    /// Makes every commit made so far survive a power cut, where the provider's commit did not already
    /// (<see cref="DatabaseEngine.MakeCommitsDurable"/>: on SQLite an fsync of the write-ahead log). Called after the
    /// gate is released, so the other writers go on meanwhile.
    /// </summary>
    public void FlushLog()
    {
        engine.MakeCommitsDurable();
        Interlocked.Increment(ref _logFlushes);
    }

    /// <summary>How many durable commits were confirmed by <see cref="FlushLog"/> (it shows the durable commits in tests).</summary>
    public long LogFlushes => Interlocked.Read(ref _logFlushes);
    private long _logFlushes;

    public async ValueTask DisposeAsync()
    {
        // A holder stuck past shutdown keeps its connection; the process is ending anyway.
        for (var i = 0; i < engine.WriteConnections; i++)
        {
            if (!await _gate.WaitAsync(TimeSpan.FromSeconds(5))) return;
        }
        foreach (var writer in _idle) writer.Reset();
    }

    /// <summary>One long-lived connection and the statements prepared on it.</summary>
    internal sealed class Writer(DatabaseEngine engine)
    {
        private readonly Dictionary<string, DbCommand> _commands = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _translated = new(StringComparer.Ordinal);
        private DbConnection? _connection;

        public DbConnection Connection()
        {
            if (_connection is { State: System.Data.ConnectionState.Open }) return _connection;
            Reset();
            return _connection = engine.OpenWriteConnection();
        }

        /// <summary>A statement prepared once on this connection (as the provider spells it) and reused by every later holder.</summary>
        public DbCommand Command(string sql, string[] parameterNames, DbTransaction? transaction)
        {
            var connection = Connection();
            if (!_commands.TryGetValue(sql, out var command))
            {
                command = PreparedSql.Create(connection, null, engine.Translate(sql), parameterNames);
                _commands[sql] = command;
            }
            command.Transaction = transaction;
            return command;
        }

        /// <summary>A statement as the provider spells it, for a batch (which the server prepares by itself, Max Auto Prepare).</summary>
        public string Translated(string sql)
        {
            if (!_translated.TryGetValue(sql, out var translated)) _translated[sql] = translated = engine.Translate(sql);
            return translated;
        }

        /// <summary>After a failure the connection may be in an unknown state: the next holder starts afresh.</summary>
        public void Reset()
        {
            foreach (var command in _commands.Values) command.Dispose();
            _commands.Clear();
            _connection?.Dispose();
            _connection = null;
        }
    }

    /// <summary>The right to write, and the connection to write with, until disposed.</summary>
    public sealed class WriteLease : IDisposable
    {
        private readonly WriteGate _owner;
        private readonly Writer _writer;
        private int _released;

        internal WriteLease(WriteGate owner, Writer writer) => (_owner, _writer) = (owner, writer);

        public DbConnection Connection => _writer.Connection();

        /// <summary>A cached prepared statement, enlisted in <paramref name="transaction"/> (or none).</summary>
        public DbCommand Command(string sql, DbTransaction? transaction, params string[] parameterNames) =>
            _writer.Command(sql, parameterNames, transaction);

        /// <summary>The statement as the provider spells it (<see cref="DatabaseEngine.Translate"/>), worked out once.</summary>
        public string Translated(string sql) => _writer.Translated(sql);

        /// <summary>Drops the connection, for a holder whose work failed half way.</summary>
        public void Reset() => _writer.Reset();

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) != 0) return;
            _owner._idle.Push(_writer);
            _owner._gate.Release();
        }
    }
}
