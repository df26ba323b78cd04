using System.Data.Common;
using WebhookAdmin.Tests.Infrastructure;

namespace WebhookAdmin.Tests.Api;

/// <summary>
/// Every row of every table of the app's database, hashed per table: it sees an update as well as an insert (row
/// counts alone miss a PATCH that went through), and it is cheap enough to take after each of thousands of requests.
/// </summary>
public sealed class DatabaseFingerprint : IAsyncDisposable
{
    // Written by any authenticated request (at most every 10 s per token, from the token cache), whatever it asks for.
    private static readonly HashSet<(string Table, string Column)> Volatile = [("ApiTokens", "LastUsedAt")];

    private readonly DbConnection _connection;
    private readonly List<string> _tables;
    private (string Version, IReadOnlyDictionary<string, string> Tables)? _last;

    private DatabaseFingerprint(DbConnection connection, List<string> tables) => (_connection, _tables) = (connection, tables);

    public static Task<DatabaseFingerprint> OpenAsync(TestApp app) => OpenAsync(app.Database);

    public static async Task<DatabaseFingerprint> OpenAsync(TestDatabase database)
    {
        // Its own connection, outside the app's pool, so that clearing the app's pool at the end is not held up by it.
        var connection = await database.OpenAsync();
        // Quartz's clustered job store (PostgreSQL, ADR-021) writes as time passes (check-ins, each trigger's next fire
        // time), not because of a request: not the app's data.
        var tables = (await TestDatabase.TablesAsync(connection)).Where(t => !t.Contains("\"qrtz_", StringComparison.Ordinal)).ToList();
        return new DatabaseFingerprint(connection, tables);
    }

    /// <summary>Table → "rows, hash"; equal fingerprints mean no table changed.</summary>
    public async Task<IReadOnlyDictionary<string, string>> TakeAsync()
    {
        // The database's own answer to "did anyone commit since I last asked": when no one did, the rows are the
        // ones hashed last time, and thousands of refused requests cost one small query each.
        var version = await DataVersionAsync();
        if (_last is { } last && last.Version == version) return last.Tables;
        var tables = await HashTablesAsync();
        _last = (version, tables);
        return tables;
    }

    /// <summary>
    /// SQLite's <c>data_version</c> changes when another connection commits. PostgreSQL's snapshot (oldest running,
    /// next to be assigned, running in between) changes whenever a writing transaction starts or ends anywhere on the
    /// server: other tests' databases make it change more often than needed, never less.
    /// </summary>
    private async Task<string> DataVersionAsync()
    {
        await using var command = _connection.CreateCommand();
        command.CommandText = _connection is Npgsql.NpgsqlConnection ? "SELECT pg_current_snapshot()::text" : "PRAGMA data_version";
        return Convert.ToString(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture)!;
    }

    private async Task<IReadOnlyDictionary<string, string>> HashTablesAsync()
    {
        // One round trip for all tables; rows are combined in any order (PostgreSQL returns an updated row last).
        await using var command = _connection.CreateCommand();
        command.CommandText = string.Join(";\n", _tables.Select(t => $"SELECT * FROM {t}"));
        await using var reader = await command.ExecuteReaderAsync();
        var tables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var table in _tables)
        {
            var name = table.Replace("\"", "", StringComparison.Ordinal);
            var bare = name[(name.LastIndexOf('.') + 1)..];
            var (rows, hash) = (0, 0L);
            while (await reader.ReadAsync())
            {
                rows++;
                var row = new HashCode();
                for (var i = 0; i < reader.FieldCount; i++)
                    if (!Volatile.Contains((bare, reader.GetName(i)))) Add(ref row, reader.GetValue(i));
                hash = unchecked(hash + row.ToHashCode());
            }
            tables[name] = $"{rows} rows, {hash:x}";
            await reader.NextResultAsync();
        }
        return tables;
    }

    /// <summary>A column's value by content: an array (a PostgreSQL array column, a blob) is a new object at each read.</summary>
    private static void Add(ref HashCode row, object? value)
    {
        if (value is byte[] bytes) row.AddBytes(bytes);
        else if (value is Array array)
            foreach (var item in array) Add(ref row, item);
        else row.Add(value);
    }

    /// <summary>The tables that differ, for a failure message; empty when nothing changed.</summary>
    public static string Difference(IReadOnlyDictionary<string, string> before, IReadOnlyDictionary<string, string> after) =>
        string.Join("; ", after.Where(t => !before.TryGetValue(t.Key, out var was) || was != t.Value)
            .Select(t => $"{t.Key}: {before.GetValueOrDefault(t.Key, "absent")} → {t.Value}"));

    public async ValueTask DisposeAsync() => await _connection.DisposeAsync();
}
