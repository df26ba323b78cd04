using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace WebhookAdmin.Tests.Infrastructure;

/// <summary>
/// Where one test's app keeps its data: a SQLite file in a folder of its own, or, when the tests run on PostgreSQL
/// (<see cref="PostgresTestDatabase.ServerVariable"/>), a database of its own there. A <see cref="TestApp"/> given
/// none makes its own; a test that restarts the app on the same data, or runs one of its commands beside it, makes
/// one, hands it to each, and disposes it after them. Tests that read or write rows behind the app's back do it
/// here, in SQL both providers take (quoted names, <c>@name</c> parameters, <c>TRUE</c>/<c>FALSE</c>).
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private TestDatabase(string? sqlitePath, PostgresTestDatabase? postgres) => (SqlitePath, Postgres) = (sqlitePath, postgres);

    /// <summary>Whether this run's apps are on PostgreSQL.</summary>
    public static bool OnPostgres => PostgresTestDatabase.Server is not null;

    /// <summary>The SQLite file, or null on PostgreSQL.</summary>
    public string? SqlitePath { get; }

    /// <summary>The PostgreSQL database, or null on SQLite.</summary>
    public PostgresTestDatabase? Postgres { get; }

    public string ConnectionString => Postgres?.ConnectionString ?? $"Data Source={SqlitePath}";

    /// <summary>The app settings that point the app here (the provider is only named for PostgreSQL: SQLite is the default).</summary>
    public IReadOnlyDictionary<string, string?> Settings => Postgres is null
        ? new Dictionary<string, string?> { ["ConnectionStrings:Default"] = ConnectionString }
        : new Dictionary<string, string?> { ["Database:Provider"] = "Postgres", ["ConnectionStrings:Default"] = ConnectionString };

    /// <summary>The same settings as environment variables, for the app or one of its commands in a process of its own.</summary>
    public IReadOnlyDictionary<string, string> Environment =>
        Settings.ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value!);

    /// <summary>An empty database: in a new folder under the temporary folder on SQLite, a new database on PostgreSQL.</summary>
    public static TestDatabase Create() =>
        OnPostgres ? new TestDatabase(null, PostgresTestDatabase.Create()) : Sqlite(Path.Combine(Path.GetTempPath(), "wha-tests", Guid.NewGuid().ToString("N"), "app.db"));

    /// <summary>A PostgreSQL database that does not exist yet: the app's start-up makes it.</summary>
    public static TestDatabase PostgresNotCreated() => new(null, PostgresTestDatabase.NotCreated());

    /// <summary>A SQLite file (made by the app when it is not there yet); its folder is deleted on dispose.</summary>
    public static TestDatabase Sqlite(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return new TestDatabase(path, null);
    }

    /// <summary>An open connection outside the app's pool (SQLite waits up to 10 s for the app's writer).</summary>
    public async Task<DbConnection> OpenAsync()
    {
        var connection = Postgres?.Connection() ?? (DbConnection)new SqliteConnection($"Data Source={SqlitePath};Pooling=False");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        if (connection is SqliteConnection)
        {
            await using var busy = connection.CreateCommand();
            busy.CommandText = "PRAGMA busy_timeout=10000";
            await busy.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }
        return connection;
    }

    /// <summary>Runs one statement; answers the rows it changed.</summary>
    public async Task<int> ExecuteAsync(string sql, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await OpenAsync();
        await using var command = Command(connection, sql, parameters);
        return await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>Every row of a query, each as its column values (null for NULL).</summary>
    public async Task<List<object?[]>> QueryAsync(string sql, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await OpenAsync();
        await using var command = Command(connection, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var rows = new List<object?[]>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>The app's tables (the migrations history and any job store included), each as a quoted name for SQL.</summary>
    public static async Task<List<string>> TablesAsync(DbConnection connection)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = connection is SqliteConnection
            ? """SELECT '"' || name || '"' FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"""
            : """
              SELECT '"' || table_schema || '"."' || table_name || '"' FROM information_schema.tables
              WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
              ORDER BY table_schema, table_name
              """;
        var tables = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        while (await reader.ReadAsync(TestContext.Current.CancellationToken)) tables.Add(reader.GetString(0));
        return tables;
    }

    private static DbCommand Command(DbConnection connection, string sql, (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
        return command;
    }

    public async ValueTask DisposeAsync()
    {
        if (Postgres is not null)
        {
            await Postgres.DisposeAsync();
            return;
        }
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(Path.GetDirectoryName(SqlitePath)!, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
