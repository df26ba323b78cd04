using Npgsql;

namespace WebhookAdmin.Tests.Infrastructure;

/// <summary>
/// A database of its own on the PostgreSQL server that <see cref="ServerVariable"/> names (<c>.ci/test</c> starts a
/// throwaway cluster and sets it for its second pass): created empty before the app starts, which migrates it, and
/// dropped on dispose. Unset, the tests run on SQLite and nothing here is used.
/// </summary>
public sealed class PostgresTestDatabase : IAsyncDisposable
{
    public const string ServerVariable = "WEBHOOKADMIN_TEST_POSTGRES";

    private bool _dropped;

    private PostgresTestDatabase(string name)
    {
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(RequiredServer) { Database = name }.ConnectionString;
    }

    /// <summary>The server's connection string without a database (host, port, a superuser), or null: the tests run on SQLite.</summary>
    public static string? Server { get; } = Environment.GetEnvironmentVariable(ServerVariable) is { Length: > 0 } server ? server : null;

    public string Name { get; }

    /// <summary>What the app is given as <c>ConnectionStrings:Default</c>.</summary>
    public string ConnectionString { get; }

    private static string RequiredServer =>
        Server ?? throw new InvalidOperationException($"{ServerVariable} is not set: the tests run on SQLite.");

    /// <summary>A new, empty database (synchronous: <see cref="TestApp"/> makes one in its constructor).</summary>
    public static PostgresTestDatabase Create()
    {
        var name = "wha_" + Guid.NewGuid().ToString("N");
        using var connection = Maintenance();
        connection.Open();
        using var command = new NpgsqlCommand($"""CREATE DATABASE "{name}" """, connection);
        command.ExecuteNonQuery();
        return new PostgresTestDatabase(name);
    }

    /// <summary>A name for a database that is not made here: the app makes it when it starts (dropped on dispose all the same).</summary>
    public static PostgresTestDatabase NotCreated() => new("wha_" + Guid.NewGuid().ToString("N"));

    /// <summary>A connection to this database outside every pool, so that nothing a test holds keeps the app's pool busy.</summary>
    public NpgsqlConnection Connection() =>
        new(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ConnectionString);

    /// <summary>Whether a database of that name is on the server (for the helper's own test).</summary>
    public static async Task<bool> ExistsAsync(string name)
    {
        await using var connection = Maintenance();
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_database WHERE datname = @name", connection);
        command.Parameters.AddWithValue("name", name);
        return (long)(await command.ExecuteScalarAsync())! > 0;
    }

    public async ValueTask DisposeAsync()
    {
        if (_dropped) return;
        _dropped = true;
        // The app is stopped by now; its idle pooled connections would otherwise hold the database open. FORCE ends
        // any session left (a data source the app built itself, a connection a test forgot).
        await using (var pooled = new NpgsqlConnection(ConnectionString))
            NpgsqlConnection.ClearPool(pooled);
        await using var connection = Maintenance();
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"""DROP DATABASE IF EXISTS "{Name}" WITH (FORCE)""", connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The server's own <c>postgres</c> database, where databases are made and dropped; unpooled (seldom used).</summary>
    private static NpgsqlConnection Maintenance() =>
        new(new NpgsqlConnectionStringBuilder(RequiredServer) { Database = "postgres", Pooling = false }.ConnectionString);
}
