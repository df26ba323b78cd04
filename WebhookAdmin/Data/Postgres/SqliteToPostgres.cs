using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;

namespace WebhookAdmin.Data.Postgres;

/// <summary>Why a copy to PostgreSQL did not happen, in words an operator can act on; nothing was written.</summary>
public sealed class CopyRefusedException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>One table copied: its rows, and how long they took.</summary>
public sealed record CopiedTable(string Name, long Rows, TimeSpan Elapsed);

/// <summary>
/// What a finished copy did: the tables in the order they were written, where each identity column continues
/// (<c>Deliveries.Id → 50001</c>), and the values PostgreSQL could not hold as SQLite had them.
/// </summary>
public sealed record CopySummary(IReadOnlyList<CopiedTable> Tables, IReadOnlyList<string> Sequences, IReadOnlyList<string> Repairs, TimeSpan Elapsed)
{
    public long Rows => Tables.Sum(t => t.Rows);
}

/// <summary>
/// Copies every table of the app's model from a SQLite database into an empty, migrated PostgreSQL one, in one
/// PostgreSQL transaction: all of it, or nothing. The tables come from the EF model (a table added later is copied
/// without a change here), parents before children by their foreign keys; the columns' PostgreSQL types from the
/// target's catalog, so each value is written as exactly the type the column has. Rows go through binary COPY.
/// SQLite keeps times as text in UTC: they are read as UTC and kept to whole microseconds (what PostgreSQL and the
/// app's clock hold). Identity columns continue after the largest copied id.
/// </summary>
public static class SqliteToPostgres
{
    /// <summary>How long to wait for a table another session holds before giving up (an app running on the target).</summary>
    private const string LockTimeout = "10s";

    /// <summary>Refuses a target that holds any row in any table of the model (a started app made its administrator).</summary>
    public static async Task RefuseUnlessEmptyAsync(AppDbContext target, CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(target, cancellationToken);
        await RefuseUnlessEmptyAsync(connection, TablesInDependencyOrder(target), cancellationToken);
    }

    public static async Task<CopySummary> CopyAsync(SqliteConnection source, AppDbContext target, Action<CopiedTable> progress,
        CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var tables = TablesInDependencyOrder(target);
        var connection = await OpenAsync(target, cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await LockAsync(connection, tables, cancellationToken);
        await RefuseUnlessEmptyAsync(connection, tables, cancellationToken);
        var columns = await TargetColumnsAsync(connection, tables, cancellationToken);

        // The source is a snapshot nobody else writes; one read transaction anyway, so every table is read at one moment.
        await using var read = source.BeginTransaction(deferred: true);
        var repairs = new Repairs();
        var copied = new List<CopiedTable>();
        foreach (var table in tables)
        {
            var started = clock.Elapsed;
            var rows = await CopyTableAsync(source, connection, table, columns[table], repairs, cancellationToken);
            var done = new CopiedTable(table, rows, clock.Elapsed - started);
            copied.Add(done);
            progress(done);
        }
        var sequences = await ContinueIdentitiesAsync(connection, columns, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new CopySummary(copied, sequences, repairs.Describe(), clock.Elapsed);
    }

    private static async Task<NpgsqlConnection> OpenAsync(AppDbContext target, CancellationToken cancellationToken)
    {
        // The context's own connection: the engine's connection string (the session in UTC). Opened through EF Core,
        // which closes it when the context is disposed.
        await target.Database.OpenConnectionAsync(cancellationToken);
        return target.Database.GetDbConnection() as NpgsqlConnection
               ?? throw new InvalidOperationException("The target context is not on PostgreSQL.");
    }

    /// <summary>The model's tables, each after every table its foreign keys point to (ties by name, so the order is stable).</summary>
    private static List<string> TablesInDependencyOrder(AppDbContext target)
    {
        var tables = target.GetService<IDesignTimeModel>().Model.GetRelationalModel().Tables
            .OrderBy(t => t.Name, StringComparer.Ordinal)
            .ToList();
        if (tables.FirstOrDefault(t => t.Schema is not null) is { } other)
            throw new NotSupportedException($"The table {other.Schema}.{other.Name} is in a schema of its own; the copy knows the default schema only.");
        var ordered = new List<string>();
        var visiting = new HashSet<string>(StringComparer.Ordinal);
        void Visit(ITable table)
        {
            if (ordered.Contains(table.Name) || !visiting.Add(table.Name)) return;
            foreach (var key in table.ForeignKeyConstraints.Where(k => k.PrincipalTable.Name != table.Name))
                Visit(key.PrincipalTable);
            ordered.Add(table.Name);
        }
        foreach (var table in tables) Visit(table);
        return ordered;
    }

    /// <summary>No one writes the tables until the copy commits (an app started on the target meanwhile waits, then finds them full).</summary>
    private static async Task LockAsync(NpgsqlConnection connection, List<string> tables, CancellationToken cancellationToken)
    {
        try
        {
            await ExecuteAsync(connection, $"SET LOCAL lock_timeout = '{LockTimeout}'", cancellationToken);
            await ExecuteAsync(connection, $"LOCK TABLE {string.Join(", ", tables.Select(Quote))} IN EXCLUSIVE MODE", cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.LockNotAvailable)
        {
            throw new CopyRefusedException(
                $"Another session has been using the target database for {LockTimeout} (is WebhookAdmin running on it?): stop it and run the copy again. Nothing was copied.", e);
        }
    }

    private static async Task RefuseUnlessEmptyAsync(NpgsqlConnection connection, List<string> tables, CancellationToken cancellationToken)
    {
        var sql = string.Join(" UNION ALL ", tables.Select(t => $"SELECT '{t.Replace("'", "''", StringComparison.Ordinal)}' WHERE EXISTS (SELECT 1 FROM {Quote(t)})"));
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var full = new List<string>();
        while (await reader.ReadAsync(cancellationToken)) full.Add(reader.GetString(0));
        if (full.Count > 0)
            throw new CopyRefusedException(
                $"The target database '{connection.Database}' already holds data ({string.Join(", ", full)}): the copy only fills an empty "
                + "database. Drop and create it again (or name a new one in ConnectionStrings:Default: it is created when missing), "
                + "and do not start WebhookAdmin on it before the copy. Nothing was copied.");
    }

    /// <summary>A column of the target as PostgreSQL has it: its type's name (<c>udt_name</c>), its length limit, whether it is an identity.</summary>
    private sealed record TargetColumn(string Table, string Name, string Type, int? MaxLength, bool Identity);

    private static async Task<Dictionary<string, List<TargetColumn>>> TargetColumnsAsync(NpgsqlConnection connection, List<string> tables,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT table_name, column_name, udt_name, character_maximum_length, is_identity = 'YES'
            FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = ANY(@tables)
            ORDER BY table_name, ordinal_position
            """, connection);
        command.Parameters.AddWithValue("tables", tables.ToArray());
        var columns = tables.ToDictionary(t => t, _ => new List<TargetColumn>(), StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            columns[reader.GetString(0)].Add(new TargetColumn(reader.GetString(0), reader.GetString(1), reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetInt32(3), reader.GetBoolean(4)));
        }
        return columns;
    }

    private static async Task<long> CopyTableAsync(SqliteConnection source, NpgsqlConnection target, string table, List<TargetColumn> columns,
        Repairs repairs, CancellationToken cancellationToken)
    {
        var names = string.Join(", ", columns.Select(c => Quote(c.Name)));
        await using var read = source.CreateCommand();
        read.CommandText = $"SELECT {names} FROM {Quote(table)}";
        await using var reader = await read.ExecuteReaderAsync(cancellationToken);
        await using var import = await target.BeginBinaryImportAsync($"COPY {Quote(table)} ({names}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            await import.StartRowAsync(cancellationToken);
            for (var i = 0; i < columns.Count; i++)
            {
                if (reader.IsDBNull(i)) await import.WriteNullAsync(cancellationToken);
                else await WriteAsync(import, columns[i], reader, i, repairs, cancellationToken);
            }
        }
        return (long)await import.CompleteAsync(cancellationToken);
    }

    /// <summary>One SQLite value as the column's PostgreSQL type; a type not listed here stops the copy naming the column.</summary>
    private static Task WriteAsync(NpgsqlBinaryImporter import, TargetColumn column, SqliteDataReader reader, int i, Repairs repairs,
        CancellationToken cancellationToken) => column.Type switch
        {
            "text" or "varchar" or "bpchar" or "json" or "jsonb" => import.WriteAsync(repairs.Fit(column, reader.GetString(i)), column.Type, cancellationToken),
            "int8" => import.WriteAsync(reader.GetInt64(i), column.Type, cancellationToken),
            "int4" => import.WriteAsync(checked((int)reader.GetInt64(i)), column.Type, cancellationToken),
            "int2" => import.WriteAsync(checked((short)reader.GetInt64(i)), column.Type, cancellationToken),
            "bool" => import.WriteAsync(reader.GetBoolean(i), column.Type, cancellationToken),
            "float8" => import.WriteAsync(reader.GetDouble(i), column.Type, cancellationToken),
            "float4" => import.WriteAsync((float)reader.GetDouble(i), column.Type, cancellationToken),
            "numeric" => import.WriteAsync(reader.GetDecimal(i), column.Type, cancellationToken),
            "bytea" => import.WriteAsync(reader.GetFieldValue<byte[]>(i), column.Type, cancellationToken),
            "uuid" => import.WriteAsync(reader.GetGuid(i), column.Type, cancellationToken),
            "interval" => import.WriteAsync(reader.GetTimeSpan(i), column.Type, cancellationToken),
            "timestamptz" => import.WriteAsync(Utc(reader.GetString(i)), column.Type, cancellationToken),
            // A primitive collection (ApiTokens.Scopes): EF Core keeps it as a JSON array on SQLite, as an array on PostgreSQL.
            "_text" or "_varchar" => import.WriteAsync(JsonSerializer.Deserialize<string?[]>(reader.GetString(i)) ?? [], column.Type, cancellationToken),
            _ => throw new NotSupportedException(
                $"{column.Table}.{column.Name} is of PostgreSQL type {column.Type}, which the copy from SQLite does not convert yet (Data/Postgres/SqliteToPostgres.cs)."),
        };

    /// <summary>
    /// SQLite's text for a time (<c>2026-12-02 15:05:03.1234567</c>, or with an offset as a <c>DateTimeOffset</c> is kept), as UTC
    /// in whole microseconds: the app wrote UTC, and PostgreSQL keeps microseconds.
    /// </summary>
    private static DateTime Utc(string text)
    {
        var utc = DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).UtcDateTime;
        return utc.AddTicks(-(utc.Ticks % TimeSpan.TicksPerMicrosecond));
    }

    /// <summary>Each identity continues after the largest id copied, so the app's next row does not collide with a copied one.</summary>
    private static async Task<List<string>> ContinueIdentitiesAsync(NpgsqlConnection connection, Dictionary<string, List<TargetColumn>> columns,
        CancellationToken cancellationToken)
    {
        var continued = new List<string>();
        foreach (var column in columns.Values.SelectMany(c => c).Where(c => c.Identity))
        {
            await using var command = new NpgsqlCommand($"""
                SELECT setval(pg_get_serial_sequence(@table, @column), COALESCE((SELECT max({Quote(column.Name)}) FROM {Quote(column.Table)}), 0) + 1, false)
                """, connection);
            command.Parameters.AddWithValue("table", Quote(column.Table));
            command.Parameters.AddWithValue("column", column.Name);
            var next = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
            continued.Add(string.Create(CultureInfo.InvariantCulture, $"{column.Table}.{column.Name} → {next}"));
        }
        return continued;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>
    /// Text SQLite held but PostgreSQL refuses: a NUL character (older versions accepted one; PostgreSQL text cannot hold it)
    /// becomes U+FFFD, and a value longer than its column (SQLite does not enforce lengths) is cut to fit. Counted per column
    /// and reported, rather than failing a whole move over one old value.
    /// </summary>
    private sealed class Repairs
    {
        private readonly SortedDictionary<string, int> _counts = new(StringComparer.Ordinal);

        public string Fit(TargetColumn column, string value)
        {
            var fitted = value.Contains('\0', StringComparison.Ordinal) ? value.Replace('\0', '\uFFFD') : value;
            if (column.MaxLength is { } max && fitted.Length > max && fitted.EnumerateRunes().Count() > max)
                fitted = Cut(fitted, max);
            if (!ReferenceEquals(fitted, value))
                _counts[$"{column.Table}.{column.Name}"] = _counts.GetValueOrDefault($"{column.Table}.{column.Name}") + 1;
            return fitted;
        }

        public List<string> Describe() => _counts.Select(c => string.Create(CultureInfo.InvariantCulture,
            $"{c.Key}: {c.Value:N0} value(s) with a NUL character (now U+FFFD) or longer than the column (cut)")).ToList();

        /// <summary>The first <paramref name="max"/> characters as PostgreSQL counts them (code points, never half a surrogate pair).</summary>
        private static string Cut(string value, int max)
        {
            var builder = new StringBuilder(max);
            foreach (var rune in value.EnumerateRunes().Take(max)) builder.Append(rune.ToString());
            return builder.ToString();
        }
    }
}
