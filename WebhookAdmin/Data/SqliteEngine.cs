using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace WebhookAdmin.Data;

/// <summary>The embedded default: one process on one SQLite file in WAL mode (ADR-002, ADR-013).</summary>
public sealed class SqliteEngine(IConfiguration configuration, SqlitePragmas pragmas) : DatabaseEngine(configuration)
{
    // The write gate's connection (WriteGate says why there is one). 32 MiB of page cache: the outbox's hot index
    // pages and the tail of every table stay in memory. Temporary storage in memory: a savepoint's statement
    // journal otherwise goes to a temporary file (measured: a group commit of 100 rows took 7.7 ms with it, 5.2 ms
    // without, and the drain fell seconds behind).
    private const string WritePragmas = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON; " +
                                        "PRAGMA wal_autocheckpoint=0; PRAGMA mmap_size=0; PRAGMA cache_size=-32768; PRAGMA temp_store=MEMORY; " +
                                        SqlitePragmas.LogSizeLimit;

    private string? _logPath;

    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    public override bool OwnedByOneProcess => true;

    /// <summary>SQLite has one writer at a time; the gate queues them in process (<see cref="WriteGate"/>).</summary>
    public override int WriteConnections => 1;

    public override void Configure(DbContextOptionsBuilder options, IServiceProvider services) =>
        options.UseSqlite(ConnectionString).AddInterceptors(pragmas);

    public override DbConnection OpenWriteConnection()
    {
        // Pooling=False: this connection lives as long as the process and must not be shared through the pool.
        var builder = new SqliteConnectionStringBuilder(ConnectionString) { Pooling = false };
        var connection = new SqliteConnection(builder.ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = WritePragmas;
        command.ExecuteNonQuery();
        return connection;
    }

    /// <summary>A JSON array, which <c>json_each</c> unpacks: one parameter whatever the length.</summary>
    public override object List<T>(IReadOnlyCollection<T> values) => System.Text.Json.JsonSerializer.Serialize(values);

    /// <summary>SQLite's primary-key and unique violations (a repeated event id), and its foreign-key one (a vanished webhook).</summary>
    public override WriteConflict? Classify(DbException exception) => (exception as SqliteException)?.SqliteExtendedErrorCode switch
    {
        1555 or 2067 => WriteConflict.DuplicateKey,
        787 => WriteConflict.MissingParent,
        _ => null,
    };

    /// <summary>
    /// An fsync of the write-ahead log. The write connection runs with <c>synchronous=NORMAL</c>, under which SQLite
    /// syncs the log only at checkpoints; letting SQLite sync at commit (<c>FULL</c>) would do the same fsync while
    /// the gate is held, and measured here that held it 5–10 ms per commit (ext4 flushes every file's pending writes
    /// with it), which stalled claims and the recorder behind ingestion. Called after the gate is released, so the
    /// other writers go on meanwhile, and one fsync covers every commit before it, whoever made them. A log that was
    /// checkpointed into the database file and removed has nothing left to sync: the checkpoint synced the file first.
    /// </summary>
    public override void MakeCommitsDurable()
    {
        // SQLite names the log after the database file; a relative path is relative to the working directory, as for SQLite.
        var log = _logPath ??= Path.GetFullPath(new SqliteConnectionStringBuilder(ConnectionString).DataSource) + "-wal";
        try
        {
            // Write access: .NET only asks the kernel to fsync a handle it may write through.
            using var file = new FileStream(log, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
            file.Flush(flushToDisk: true);
        }
        catch (FileNotFoundException)
        {
        }
    }

    /// <summary>Migrates, then switches the file to WAL (it persists in the file).</summary>
    public override async Task MigrateAsync(IDbContextFactory<AppDbContext> dbFactory, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Database.MigrateAsync(cancellationToken);
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
    }
}

/// <summary>
/// What <c>dotnet ef</c> builds the SQLite model with. Without it the tools picked the PostgreSQL factory for
/// <see cref="AppDbContext"/> too (its context derives from it) and generated a PostgreSQL migration under the wrong name.
/// </summary>
public sealed class SqliteDesignTimeFactory : Microsoft.EntityFrameworkCore.Design.IDesignTimeDbContextFactory<AppDbContext>
{
    public AppDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<AppDbContext>().UseSqlite("Data Source=webhookadmin.db").Options);
}
