using System.Data.Common;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace WebhookAdmin.Data.Postgres;

/// <summary>
/// Several instances on one PostgreSQL database (ADR-020). Commits are durable by PostgreSQL's own
/// <c>synchronous_commit</c>; the statements' guards and leases keep instances from overwriting each other.
/// </summary>
public sealed partial class PostgresEngine(IConfiguration configuration) : DatabaseEngine(configuration)
{
    /// <summary>The advisory lock that lets one instance at a time migrate (any constant: "WHMIGRAT").</summary>
    private const long MigrationLock = 0x57484D4947524154;

    private const string HistoryTable = """
        CREATE TABLE IF NOT EXISTS "__EFMigrationsHistory" (
            "MigrationId" character varying(150) NOT NULL,
            "ProductVersion" character varying(32) NOT NULL,
            CONSTRAINT "PK___EFMigrationsHistory" PRIMARY KEY ("MigrationId"))
        """;

    private string? _connectionString;

    public override DatabaseProvider Provider => DatabaseProvider.Postgres;

    public override bool OwnedByOneProcess => false;

    /// <summary>
    /// Ingestion, claims and outcomes of one instance write side by side, as other instances' do: enough that a
    /// statement rarely waits for another's round trip, few against PostgreSQL's connection limit times the instances.
    /// </summary>
    public override int WriteConnections => 4;

    internal string Connection => _connectionString ??= ConnectionFor(ConnectionString);

    /// <summary>
    /// The configured string, with the session in UTC (the app stores and compares UTC only, and a statement's
    /// timestamp without a zone is then read as UTC too) unless the operator chose otherwise. Also what the clustered
    /// job store connects with (<see cref="ClusteredJobStore"/>).
    /// </summary>
    public static string ConnectionFor(IConfiguration configuration) => ConnectionFor(DatabaseConnection.String(configuration));

    private static string ConnectionFor(string configured) => new NpgsqlConnectionStringBuilder(configured)
    {
        Timezone = new NpgsqlConnectionStringBuilder(configured).Timezone ?? "UTC",
    }.ConnectionString;

    public override void Configure(DbContextOptionsBuilder options, IServiceProvider services) => options.UseNpgsql(Connection);

    public override DbConnection OpenWriteConnection()
    {
        // The gate's statements are few and run all the time: the server keeps them parsed and planned.
        var builder = new NpgsqlConnectionStringBuilder(Connection);
        if (builder.MaxAutoPrepare == 0) builder.MaxAutoPrepare = 64;
        var connection = new NpgsqlConnection(builder.ConnectionString);
        connection.Open();
        return connection;
    }

    /// <summary>
    /// SQLite's list construct becomes an array comparison, and the unary plus that keeps SQLite off an index
    /// (PostgreSQL has no use for it, and refuses it on text) goes. Anything else SQLite-only left is a bug here.
    /// </summary>
    public override string Translate(string sql)
    {
        var translated = NotInList().Replace(sql, "<> ALL($1)");
        translated = InList().Replace(translated, "= ANY($1)");
        translated = UnaryPlus().Replace(translated, "");
        return translated.Contains("json_each", StringComparison.Ordinal)
            ? throw new InvalidOperationException($"A statement uses json_each in a form PostgreSQL cannot be given: {sql}")
            : translated;
    }

    /// <summary>An array, which <c>= ANY(@p)</c> compares against.</summary>
    public override object List<T>(IReadOnlyCollection<T> values) => values.ToArray();

    public override WriteConflict? Classify(DbException exception) => (exception as PostgresException)?.SqlState switch
    {
        PostgresErrorCodes.UniqueViolation => WriteConflict.DuplicateKey,
        PostgresErrorCodes.ForeignKeyViolation => WriteConflict.MissingParent,
        _ => null,
    };

    /// <summary>
    /// Creates the database if it is missing, then migrates under a session advisory lock, so instances starting
    /// together on an empty database take turns: the first migrates, the others find nothing left to do.
    /// </summary>
    public override async Task MigrateAsync(IDbContextFactory<AppDbContext> dbFactory, CancellationToken cancellationToken)
    {
        await EnsureDatabaseAsync(cancellationToken);
        await using var connection = new NpgsqlConnection(Connection);
        await connection.OpenAsync(cancellationToken);
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({MigrationLock})", connection))
            await take.ExecuteNonQueryAsync(cancellationToken);
        try
        {
            // EF Core reads the history table before creating it and logs the failure as an error ("fail:") on every
            // new database; created here first (EF's own definition), an operator's first start shows no error.
            await using (var history = new NpgsqlCommand(HistoryTable, connection))
                await history.ExecuteNonQueryAsync(cancellationToken);
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            await db.Database.MigrateAsync(cancellationToken);
        }
        finally
        {
            // Closing the session would release it too; this keeps the pooled connection clean.
            await using var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({MigrationLock})", connection);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    private async Task EnsureDatabaseAsync(CancellationToken cancellationToken)
    {
        var target = new NpgsqlConnectionStringBuilder(Connection);
        try
        {
            await using var probe = new NpgsqlConnection(target.ConnectionString);
            await probe.OpenAsync(cancellationToken);
            return;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidCatalogName)
        {
        }
        var name = target.Database ?? throw new InvalidOperationException("ConnectionStrings:Default names no Database.");
        var server = new NpgsqlConnectionStringBuilder(target.ConnectionString) { Database = "postgres", Pooling = false };
        await using var admin = new NpgsqlConnection(server.ConnectionString);
        await admin.OpenAsync(cancellationToken);
        try
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", admin);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
        // Another instance created it a moment ago: 42P04 if its CREATE had committed, 23505 on the catalog's unique
        // index if both ran at the same moment (three instances starting together hit both).
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation)
        {
            // It exists now, which is all this wanted.
        }
    }

    [GeneratedRegex("""NOT\s+IN\s*\(\s*SELECT\s+"value"\s+FROM\s+json_each\((@\w+)\)\s*\)""")]
    private static partial Regex NotInList();

    [GeneratedRegex("""IN\s*\(\s*SELECT\s+"value"\s+FROM\s+json_each\((@\w+)\)\s*\)""")]
    private static partial Regex InList();

    [GeneratedRegex("""(?<=\s)\+(?=["(])""")]
    private static partial Regex UnaryPlus();
}
