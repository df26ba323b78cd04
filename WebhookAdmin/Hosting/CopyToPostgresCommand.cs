using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using WebhookAdmin.Data;
using WebhookAdmin.Data.Postgres;
using WebhookAdmin.Features.Deliveries.Outbox;

namespace WebhookAdmin.Hosting;

/// <summary>
/// <c>copy-to-postgres --from &lt;sqlite file&gt;</c> (contract, section 5): moves a SQLite installation to the PostgreSQL
/// database this configuration names (<c>Database:Provider=Postgres</c>, <c>ConnectionStrings:Default</c>), as the app
/// would be started on it. In steps, each of which may refuse before anything is written:
/// <list type="number">
/// <item>the target is migrated as at start-up (and created when missing), and must hold no data;</item>
/// <item>the source is read through a backup to a temporary file (<see cref="SqliteBackup"/>: one consistent snapshot, also
/// while the old app serves), which is brought to this version's schema, and its claims handed back as a restart of the old
/// app would (in-flight deliveries go out again on PostgreSQL; the old file is not touched);</item>
/// <item>every table is copied in one PostgreSQL transaction (<see cref="SqliteToPostgres"/>).</item>
/// </list>
/// </summary>
public static class CopyToPostgresCommand
{
    public const string Usage = "Usage: copy-to-postgres --from <sqlite file>   (with Database__Provider=Postgres and "
                                + "ConnectionStrings__Default=<Npgsql connection string> naming the empty target)";

    public static async Task<int> RunAsync(string[] args, TextWriter? output = null, TextWriter? error = null)
    {
        output ??= Console.Out;
        error ??= Console.Error;
        var options = CommandLine.ParseOptions(args);
        if (!options.TryGetValue("from", out var from) || from == "true")
        {
            await error.WriteLineAsync(Usage);
            return 2;
        }

        // Settings given as --Key=value count, as for the app; the source path is not one of them.
        var settings = args.Where((a, i) => a.Contains('=') && !(i > 0 && args[i - 1] == "--from")).ToArray();
        var builder = AppLocation.CreateBuilder(settings);
        if (WrongProvider(builder.Configuration) is { } wrong)
        {
            await error.WriteLineAsync(wrong);
            return 1;
        }
        var source = Path.GetFullPath(from);
        if (!File.Exists(source))
        {
            await error.WriteLineAsync($"There is no SQLite database at '{source}' (--from). Nothing was copied.");
            return 1;
        }

        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddWebhookAdmin();
        await using var app = builder.Build();
        var target = Describe(DatabaseConnection.String(builder.Configuration));
        var snapshotFolder = Directory.CreateTempSubdirectory("webhookadmin-copy-");
        try
        {
            var summary = await CopyAsync(app.Services, source, target, snapshotFolder.FullName, output);
            await ReportAsync(output, source, target, summary);
            return 0;
        }
        catch (Exception e) when (e is CopyRefusedException or BackupException)
        {
            await error.WriteLineAsync(e.Message);
            return 1;
        }
        catch (NotSupportedException e)
        {
            await error.WriteLineAsync($"{e.Message} Nothing was copied.");
            return 1;
        }
        catch (NpgsqlException e)
        {
            await error.WriteLineAsync($"PostgreSQL ({target}) answered: {e.Message}. Nothing was copied.");
            return 1;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            snapshotFolder.Delete(recursive: true);
        }
    }

    private static async Task<CopySummary> CopyAsync(IServiceProvider services, string source, string target, string snapshotFolder, TextWriter output)
    {
        var cancellationToken = CancellationToken.None;
        var dbFactory = services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        await services.GetRequiredService<DatabaseEngine>().MigrateAsync(dbFactory, cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // Before the snapshot, which takes a while on a large file: a full target is refused at once (checked again under lock).
        await SqliteToPostgres.RefuseUnlessEmptyAsync(db, cancellationToken);
        await output.WriteLineAsync($"Target {target}: migrated, empty.");

        var snapshot = await SqliteBackup.CopyAsync(source, Path.Combine(snapshotFolder, "snapshot.db"), cancellationToken);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Source {source}: a consistent snapshot of {snapshot.Bytes / 1024.0 / 1024.0:0.0} MiB in {snapshot.Elapsed.TotalSeconds:0.0} s."));
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var released = await PrepareSnapshotAsync(snapshot.Target, source, now, cancellationToken);
        if (released > 0)
            await output.WriteLineAsync($"{released:N0} deliveries were being sent by the old app: they come over to be sent again.");

        await using var sqlite = new SqliteConnection(new SqliteConnectionStringBuilder
        { DataSource = snapshot.Target, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ConnectionString);
        await sqlite.OpenAsync(cancellationToken);
        return await SqliteToPostgres.CopyAsync(sqlite, db, table => output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {table.Name,-24} {table.Rows,12:N0} rows  {table.Elapsed.TotalSeconds,6:0.00} s")), cancellationToken);
    }

    /// <summary>
    /// The snapshot at this version's schema (an older installation is migrated here, in the copy, as its next start would), and
    /// with every claim handed back (<see cref="LeaseRecovery.ReleaseAllAsync"/>): no process holds them any more.
    /// </summary>
    private static async Task<int> PrepareSnapshotAsync(string snapshot, string source, DateTime now, CancellationToken cancellationToken)
    {
        await using var db = new AppDbContext(new DbContextOptionsBuilder<AppDbContext>()
            .UseSqlite(new SqliteConnectionStringBuilder { DataSource = snapshot, Pooling = false }.ConnectionString).Options);
        var applied = (await db.Database.GetAppliedMigrationsAsync(cancellationToken)).ToList();
        if (applied.Count == 0)
            throw new CopyRefusedException($"'{source}' is not a WebhookAdmin database (it has no migration history). Nothing was copied.");
        if (applied.Except(db.Database.GetMigrations()).FirstOrDefault() is { } unknown)
            throw new CopyRefusedException(
                $"'{source}' was last used by a newer WebhookAdmin (its migration {unknown} is unknown to this one): run copy-to-postgres of that version. Nothing was copied.");
        await db.Database.MigrateAsync(cancellationToken);
        await db.Database.OpenConnectionAsync(cancellationToken);
        return await LeaseRecovery.ReleaseAllAsync(db.Database.GetDbConnection(), now, cancellationToken);
    }

    private static string? WrongProvider(IConfiguration configuration)
    {
        const string hint = "copy-to-postgres writes to the PostgreSQL database of this configuration: set Database__Provider=Postgres and "
                            + "ConnectionStrings__Default=<Npgsql connection string> (the settings the app will run with), and give the SQLite file as --from.";
        try
        {
            return DatabaseOptions.ProviderOf(configuration) == DatabaseProvider.Postgres ? null : $"Database:Provider is Sqlite. {hint} Nothing was copied.";
        }
        catch (InvalidOperationException e)
        {
            return $"{e.Message} {hint} Nothing was copied.";
        }
    }

    /// <summary>Host, port and database of the target, never its password.</summary>
    private static string Describe(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return $"'{builder.Database}' on {builder.Host}:{builder.Port}";
    }

    private static async Task ReportAsync(TextWriter output, string source, string target, CopySummary summary)
    {
        foreach (var repair in summary.Repairs) await output.WriteLineAsync($"  repaired {repair}");
        await output.WriteLineAsync($"  identities continue at: {string.Join(", ", summary.Sequences)}");
        var seconds = summary.Elapsed.TotalSeconds;
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Copied {summary.Rows:N0} rows in {summary.Tables.Count} tables from {source} to {target} in {seconds:0.0} s ({summary.Rows / Math.Max(seconds, 0.001):N0} rows/s), one transaction."));
    }
}
