using Microsoft.Data.Sqlite;
using WebhookAdmin.Tests.Infrastructure;

namespace WebhookAdmin.Tests.Api;

/// <summary>
/// Every row of every table of the app's SQLite file, hashed per table: it sees an update as well as an insert (row
/// counts alone miss a PATCH that went through), and it is cheap enough to take after each of thousands of requests.
/// </summary>
public sealed class DatabaseFingerprint : IAsyncDisposable
{
    // Written by any authenticated request (at most every 10 s per token, from the token cache), whatever it asks for.
    private static readonly HashSet<(string Table, string Column)> Volatile = [("ApiTokens", "LastUsedAt")];

    private readonly SqliteConnection _connection;
    private readonly List<string> _tables;
    private (long Version, IReadOnlyDictionary<string, string> Tables)? _last;

    private DatabaseFingerprint(SqliteConnection connection, List<string> tables) => (_connection, _tables) = (connection, tables);

    public static async Task<DatabaseFingerprint> OpenAsync(TestApp app)
    {
        // Its own connection, outside the app's pool, so the app's ClearAllPools at the end is not held up by it.
        var connection = new SqliteConnection($"Data Source={app.DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name";
        var tables = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        return new DatabaseFingerprint(connection, tables);
    }

    /// <summary>Table → "rows, hash"; equal fingerprints mean no table changed.</summary>
    public async Task<IReadOnlyDictionary<string, string>> TakeAsync()
    {
        // SQLite's own answer to "did another connection commit since I last asked": when it did not, the
        // rows are the ones hashed last time, and thousands of refused requests cost a pragma each.
        var version = await DataVersionAsync();
        if (_last is { } last && last.Version == version) return last.Tables;
        var tables = await HashTablesAsync();
        _last = (version, tables);
        return tables;
    }

    private async Task<long> DataVersionAsync()
    {
        await using var command = _connection.CreateCommand();
        command.CommandText = "PRAGMA data_version";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task<IReadOnlyDictionary<string, string>> HashTablesAsync()
    {
        var tables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var table in _tables)
        {
            await using var command = _connection.CreateCommand();
            command.CommandText = $"SELECT * FROM \"{table}\"";
            await using var reader = await command.ExecuteReaderAsync();
            var hash = new HashCode();
            var rows = 0;
            while (await reader.ReadAsync())
            {
                rows++;
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    if (Volatile.Contains((table, reader.GetName(i)))) continue;
                    if (reader.GetValue(i) is byte[] bytes) hash.AddBytes(bytes);
                    else hash.Add(reader.GetValue(i));
                }
            }
            tables[table] = $"{rows} rows, {hash.ToHashCode():x8}";
        }
        return tables;
    }

    /// <summary>The tables that differ, for a failure message; empty when nothing changed.</summary>
    public static string Difference(IReadOnlyDictionary<string, string> before, IReadOnlyDictionary<string, string> after) =>
        string.Join("; ", after.Where(t => !before.TryGetValue(t.Key, out var was) || was != t.Value)
            .Select(t => $"{t.Key}: {before.GetValueOrDefault(t.Key, "absent")} → {t.Value}"));

    public async ValueTask DisposeAsync() => await _connection.DisposeAsync();
}
