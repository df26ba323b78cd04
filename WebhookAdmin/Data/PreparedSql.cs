using System.Data.Common;

namespace WebhookAdmin.Data;

/// <summary>
/// The few statements that run per row at full rate (outbox inserts, attempt records, bench seeding) are
/// plain ADO.NET: created once with named parameters, then run with values in the same order.
/// </summary>
public static class PreparedSql
{
    public static DbCommand Create(DbConnection connection, DbTransaction? transaction, string sql, params string[] parameterNames)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in parameterNames)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            command.Parameters.Add(parameter);
        }
        return command;
    }

    public static Task<int> RunAsync(this DbCommand command, CancellationToken cancellationToken, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i] ?? DBNull.Value;
        return command.ExecuteNonQueryAsync(cancellationToken);
    }
}
