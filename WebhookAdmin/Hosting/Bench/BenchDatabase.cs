using Microsoft.Data.Sqlite;
using Npgsql;
using WebhookAdmin.Data;

namespace WebhookAdmin.Hosting.Bench;

/// <summary>
/// The fresh database of one scenario and a directory of its own (the SQLite file, the apps' logs): a SQLite file, or
/// a PostgreSQL database <c>wha_bench_…</c> on <see cref="BenchOptions.Postgres"/>. The app creates and migrates it at
/// start, as it would in production; this only names it, and drops it after the apps have stopped.
/// </summary>
public sealed class BenchDatabase(DatabaseProvider provider, string directory, string connectionString) : IAsyncDisposable
{
    public DatabaseProvider Provider { get; } = provider;
    public string Directory { get; } = directory;
    public string ConnectionString { get; } = connectionString;

    /// <summary>The SQLite file; null on PostgreSQL (what a scenario reads from the file is not measured there).</summary>
    public string? FilePath => Provider == DatabaseProvider.Sqlite ? Path.Combine(Directory, "bench.db") : null;

    /// <summary>The app's configuration for it, as <c>Section:Key</c>; a child process takes them as <c>Section__Key</c>.</summary>
    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Database:Provider"] = Provider.ToString(),
        ["ConnectionStrings:Default"] = ConnectionString,
    };

    public static BenchDatabase Create(BenchOptions options)
    {
        var directory = Path.Combine(Path.GetTempPath(), "webhookadmin-bench", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        var connection = options.Database == DatabaseProvider.Postgres
            ? new NpgsqlConnectionStringBuilder(options.Postgres) { Database = $"wha_bench_{Guid.NewGuid():N}" }.ConnectionString
            : $"Data Source={Path.Combine(directory, "bench.db")}";
        return new BenchDatabase(options.Database, directory, connection);
    }

    public async ValueTask DisposeAsync()
    {
        if (Provider == DatabaseProvider.Postgres) await DropAsync();
        else SqliteConnection.ClearAllPools();
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }

    /// <summary>FORCE: a child process killed a moment ago may still hold a session.</summary>
    private async Task DropAsync()
    {
        var target = new NpgsqlConnectionStringBuilder(ConnectionString);
        await using (var pooled = new NpgsqlConnection(ConnectionString))
            NpgsqlConnection.ClearPool(pooled);
        var server = new NpgsqlConnectionStringBuilder(ConnectionString) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"""DROP DATABASE IF EXISTS "{target.Database}" WITH (FORCE)""", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
