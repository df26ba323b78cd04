using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace WebhookAdmin.Data;

/// <summary>
/// Per-connection SQLite settings. WAL itself is set once on the file at start-up (it persists);
/// <c>synchronous</c> and <c>busy_timeout</c> belong to each connection, so they are set as it opens.
/// </summary>
public sealed class SqlitePragmas : DbConnectionInterceptor
{
    // NORMAL in WAL mode survives a crash of the process (what a 202 promises against); only an OS
    // crash or power cut can lose the last commits. FULL would add an fsync to every transaction.
    private const string Pragmas = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void Apply(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }
}
