using System.Data.Common;
using WebhookAdmin.Data;

namespace WebhookAdmin.Features.Deliveries.Outbox;

/// <summary>
/// One transaction of the outbox on the write gate's connection, and what it changed. <see cref="CommitAsync"/>
/// commits and then publishes the changes through <see cref="AfterCommit"/>: the only way an outbox write ends.
/// Disposing without committing rolls back and publishes nothing.
/// </summary>
public sealed class OutboxSession : IAsyncDisposable
{
    private readonly WriteGate _gate;
    private readonly WriteGate.WriteLease _lease;
    private readonly DbTransaction _transaction;
    private readonly AfterCommit _afterCommit;
    private readonly bool _durable;
    private readonly StatementQueue _queue;
    private bool _done;

    private OutboxSession(WriteGate gate, WriteGate.WriteLease lease, DbTransaction transaction, AfterCommit afterCommit, bool durable)
    {
        _gate = gate;
        _lease = lease;
        _transaction = transaction;
        _afterCommit = afterCommit;
        _durable = durable;
        _queue = new StatementQueue(lease, transaction);
    }

    public CommittedChanges Changes { get; } = new();

    /// <summary>
    /// Waits for the write gate and begins a transaction. <paramref name="durable"/>: the commit is on disk before
    /// <see cref="CommitAsync"/> returns, so it survives a power cut (and every earlier commit with it), and nothing
    /// hears of it before then: the drain never sends what a power cut could still take back.
    /// </summary>
    public static async Task<OutboxSession> BeginAsync(WriteGate gate, AfterCommit afterCommit, bool durable, CancellationToken cancellationToken)
    {
        var lease = await gate.EnterAsync(cancellationToken);
        try
        {
            return new OutboxSession(gate, lease, lease.Connection.BeginTransaction(), afterCommit, durable);
        }
        catch
        {
            lease.Reset();
            lease.Dispose();
            throw;
        }
    }

    /// <summary>The database this session writes to, for what differs between providers.</summary>
    public DatabaseEngine Engine => _gate.Engine;

    /// <summary>A list bound as one parameter of a list construct (<see cref="DatabaseEngine.List"/>).</summary>
    public object List<T>(IReadOnlyCollection<T> values) => _gate.Engine.List(values);

    /// <summary>What kind of conflict made a statement fail, if any (<see cref="DatabaseEngine.Classify"/>).</summary>
    public WriteConflict? Conflict(DbException exception) => _gate.Engine.Classify(exception);

    /// <summary>Runs a statement, prepared once per connection; values bind to the names in order.</summary>
    public async Task<int> RunAsync(string sql, params (string Name, object? Value)[] values)
    {
        await FlushAsync();
        return await Bind(sql, values).ExecuteNonQueryAsync(CancellationToken.None);
    }

    /// <summary>Runs a statement that answers one value (<c>RETURNING "Id"</c>).</summary>
    public async Task<object?> ScalarAsync(string sql, params (string Name, object? Value)[] values)
    {
        await FlushAsync();
        return await Bind(sql, values).ExecuteScalarAsync(CancellationToken.None);
    }

    public async Task<DbDataReader> ReadAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] values)
    {
        await FlushAsync();
        return await Bind(sql, values).ExecuteReaderAsync(cancellationToken);
    }

    /// <summary>
    /// Queues a statement to be sent with the ones queued beside it (<see cref="StatementQueue"/>): at the next
    /// <see cref="FlushAsync"/>, the next statement run at once, or the commit. <paramref name="onRowCount"/> then hears its row count.
    /// </summary>
    public void Queue(string sql, Action<int>? onRowCount, params (string Name, object? Value)[] values) =>
        _queue.Add(sql, values, onRowCount, onValue: null);

    /// <summary>Queues a statement that answers one value (or none: null); <paramref name="onValue"/> hears it once it has run.</summary>
    public void QueueValue(string sql, Action<object?> onValue, params (string Name, object? Value)[] values) =>
        _queue.Add(sql, values, onRowCount: null, onValue);

    /// <summary>Runs what is queued; a statement that fails throws here.</summary>
    public Task FlushAsync() => _queue.IsEmpty ? Task.CompletedTask : _queue.RunAsync();

    /// <summary>A savepoint, so one caller's failed statements can be undone without the others' (group commit).</summary>
    public Task SavepointAsync(string name) => Raw($"SAVEPOINT {name};");

    public Task ReleaseSavepointAsync(string name) => Raw($"RELEASE {name};");

    public async Task RollbackToSavepointAsync(string name)
    {
        await Raw($"ROLLBACK TO {name};");
        await Raw($"RELEASE {name};");
    }

    public async Task CommitAsync()
    {
        await FlushAsync();
        await _transaction.CommitAsync();
        _done = true;
        _lease.Dispose();
        // Outside the gate: other writers go on while the disk syncs (WriteGate.FlushLog says why).
        if (_durable) _gate.FlushLog();
        _afterCommit.Publish(Changes);
    }

    public async ValueTask DisposeAsync()
    {
        if (_done) return;
        _done = true;
        try
        {
            await _transaction.RollbackAsync();
        }
        catch
        {
            // The connection is in an unknown state (a failed commit, a broken file): the next holder opens a new one.
            _lease.Reset();
        }
        await _transaction.DisposeAsync();
        _lease.Dispose();
    }

    private DbCommand Bind(string sql, (string Name, object? Value)[] values)
    {
        var names = new string[values.Length];
        for (var i = 0; i < values.Length; i++) names[i] = values[i].Name;
        var command = _lease.Command(sql, _transaction, names);
        for (var i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i].Value ?? DBNull.Value;
        return command;
    }

    private Task<int> Raw(string sql) => RunAsync(sql);
}
