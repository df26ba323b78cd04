using System.Data.Common;
using WebhookAdmin.Data;

namespace WebhookAdmin.Features.Deliveries.Outbox;

/// <summary>
/// Statements of one <see cref="OutboxSession"/> whose answers nobody needs before the next statement: sent to the
/// server together, in order, in one round trip where the provider can (PostgreSQL's pipelined batch, ADR-020), and
/// one by one where it cannot (SQLite, in the process, where a round trip costs nothing). On PostgreSQL each
/// statement sent alone waited a loopback round trip, and a batch of 256 outcomes was 512 of them.
/// Each statement's answer (its row count, or the one value it returns) reaches its callback when it has run.
/// </summary>
internal sealed class StatementQueue(WriteGate.WriteLease lease, DbTransaction transaction)
{
    private List<Queued> _queued = [];

    public bool IsEmpty => _queued.Count == 0;

    public void Add(string sql, (string Name, object? Value)[] values, Action<int>? onRowCount, Action<object?>? onValue) =>
        _queued.Add(new Queued(sql, values, onRowCount, onValue));

    /// <summary>Runs what is queued. A statement that fails throws here; the ones after it did not run.</summary>
    public async Task RunAsync()
    {
        if (_queued.Count == 0) return;
        var queued = _queued;
        _queued = [];
        var connection = lease.Connection;
        if (queued.Count == 1 || !connection.CanCreateBatch)
        {
            foreach (var statement in queued) await RunAloneAsync(statement);
            return;
        }
        await using var batch = connection.CreateBatch();
        batch.Transaction = transaction;
        foreach (var statement in queued) batch.BatchCommands.Add(Command(batch, statement));
        if (queued.Exists(s => s.OnValue is not null)) await ReadValuesAsync(batch, queued);
        else await batch.ExecuteNonQueryAsync(CancellationToken.None);
        for (var i = 0; i < queued.Count; i++) queued[i].OnRowCount?.Invoke(batch.BatchCommands[i].RecordsAffected);
    }

    private async Task RunAloneAsync(Queued statement)
    {
        var command = lease.Command(statement.Sql, transaction, statement.Values.Select(v => v.Name).ToArray());
        for (var i = 0; i < statement.Values.Length; i++) command.Parameters[i].Value = statement.Values[i].Value ?? DBNull.Value;
        if (statement.OnValue is { } onValue)
        {
            onValue(await command.ExecuteScalarAsync(CancellationToken.None));
            return;
        }
        // Not OnRowCount?.Invoke(await …): that would skip running the statement when nobody listens.
        var rows = await command.ExecuteNonQueryAsync(CancellationToken.None);
        statement.OnRowCount?.Invoke(rows);
    }

    private DbBatchCommand Command(DbBatch batch, Queued statement)
    {
        var command = batch.CreateBatchCommand();
        command.CommandText = lease.Translated(statement.Sql);
        foreach (var (name, value) in statement.Values)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
        return command;
    }

    /// <summary>
    /// The result sets, in order, of the statements that return rows; a statement that returns none (a plain
    /// INSERT) has none, or an empty description, and is passed over.
    /// </summary>
    private static async Task ReadValuesAsync(DbBatch batch, List<Queued> queued)
    {
        await using var reader = await batch.ExecuteReaderAsync(CancellationToken.None);
        var next = 0;
        do
        {
            if (reader.FieldCount == 0) continue;
            while (next < queued.Count && queued[next].OnValue is null) next++;
            if (next == queued.Count) throw new InvalidOperationException("A batch answered more result sets than it has statements that return a value.");
            var value = await reader.ReadAsync(CancellationToken.None) ? reader.GetValue(0) : null;
            while (await reader.ReadAsync(CancellationToken.None)) { }
            queued[next++].OnValue!(value);
        }
        while (await reader.NextResultAsync(CancellationToken.None));
    }

    private sealed record Queued(string Sql, (string Name, object? Value)[] Values, Action<int>? OnRowCount, Action<object?>? OnValue);
}
