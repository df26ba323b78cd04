using System.Diagnostics;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace WebhookAdmin.Data;

/// <summary>Why a backup did not happen, in words an operator can act on.</summary>
public sealed class BackupException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>What a finished backup copied.</summary>
public sealed record BackupCopy(string Target, long Pages, long Bytes, TimeSpan Elapsed);

/// <summary>
/// A consistent copy of a SQLite database that may be in use, through SQLite's online backup API. The copy is one
/// snapshot: the source connection holds a single read transaction from the first page to the last. In WAL mode a
/// reader never blocks the writers (they go on appending to the log; only checkpoints wait for the copy to end), and
/// holding the snapshot is also what keeps the copy finite: a backup that ended its read between steps would restart
/// from page one whenever another connection committed, which under steady load is always. The pages are copied in
/// steps with a short pause in between, so the copy does not monopolise the disk the app writes to; a busy or locked
/// step is retried. The copy is written beside the target under a temporary name, switched to a single-file journal,
/// checked with <c>PRAGMA integrity_check</c>, and only then renamed over the target: a backup is either complete and
/// sound or not there.
/// </summary>
public static class SqliteBackup
{
    /// <summary>4 MiB per step with 4 KiB pages.</summary>
    public const int PagesPerStep = 1024;

    private const int MaxBusyRetries = 50;
    private static readonly TimeSpan StepPause = TimeSpan.FromMilliseconds(2);
    private static readonly TimeSpan BusyPause = TimeSpan.FromMilliseconds(100);

    public static async Task<BackupCopy> CopyAsync(string databasePath, string targetPath, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var source = Path.GetFullPath(databasePath);
        var target = Path.GetFullPath(targetPath);
        CheckPaths(source, target);
        var temporary = Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.partial");
        try
        {
            long pages;
            // Pooling off: these connections must really close (and release the files) when the copy is done.
            await using (var from = Open(source, SqliteOpenMode.ReadWrite))
            await using (var to = Open(temporary, SqliteOpenMode.ReadWriteCreate))
            {
                pages = await CopyPagesAsync(from, to, source, cancellationToken);
                // The source's header says WAL; a backup is easier to move and restore as one self-contained file.
                Execute(to, "PRAGMA journal_mode=DELETE;");
                CheckIntegrity(to);
            }
            SqliteConnection.ClearPool(new SqliteConnection($"Data Source={temporary}"));
            File.Move(temporary, target, overwrite: true);
            return new BackupCopy(target, pages, new FileInfo(target).Length, clock.Elapsed);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == raw.SQLITE_NOTADB)
        {
            throw new BackupException($"'{source}' is not a SQLite database (ConnectionStrings:Default). Nothing was copied.", e);
        }
        catch (IOException e)
        {
            throw new BackupException($"Could not write the copy to '{target}': {e.Message}", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new BackupException($"Not allowed to write '{target}': {e.Message}", e);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    private static void CheckPaths(string source, string target)
    {
        if (!File.Exists(source))
            throw new BackupException($"There is no database at '{source}' (ConnectionStrings:Default). Nothing was copied.");
        if (Directory.Exists(target))
            throw new BackupException($"'{target}' is a folder: give the name of the file to write, e.g. '{Path.Combine(target, "webhookadmin-backup.db")}'.");
        var folder = Path.GetDirectoryName(target);
        if (!Directory.Exists(folder))
            throw new BackupException($"The folder '{folder}' does not exist: create it first, or choose another --to.");
        if (string.Equals(source, target, StringComparison.Ordinal) || target.StartsWith(source + "-", StringComparison.Ordinal))
            throw new BackupException($"'{target}' is the database itself (or one of its files): choose another --to.");
    }

    private static SqliteConnection Open(string path, SqliteOpenMode mode)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = mode, Pooling = false }.ConnectionString);
        connection.Open();
        Execute(connection, "PRAGMA busy_timeout=10000;");
        return connection;
    }

    private static async Task<long> CopyPagesAsync(SqliteConnection from, SqliteConnection to, string source, CancellationToken cancellationToken)
    {
        // One read transaction for the whole copy: the snapshot every step reads from (see the class comment).
        await using var snapshot = from.BeginTransaction(deferred: true);
        Execute(from, "SELECT count(*) FROM sqlite_schema;", snapshot);

        var backup = raw.sqlite3_backup_init(to.Handle, "main", from.Handle, "main")
                     ?? throw new BackupException($"SQLite could not start a backup of '{source}': {raw.sqlite3_errmsg(to.Handle).utf8_to_string()}");
        try
        {
            for (var busy = 0; ;)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var rc = raw.sqlite3_backup_step(backup, PagesPerStep);
                if (rc == raw.SQLITE_DONE) return raw.sqlite3_backup_pagecount(backup);
                if (rc == raw.SQLITE_OK)
                {
                    busy = 0;
                    await Task.Delay(StepPause, cancellationToken);
                }
                else if (rc is raw.SQLITE_BUSY or raw.SQLITE_LOCKED && ++busy <= MaxBusyRetries)
                {
                    await Task.Delay(BusyPause, cancellationToken);
                }
                else
                {
                    throw rc is raw.SQLITE_BUSY or raw.SQLITE_LOCKED
                        ? new BackupException($"'{source}' stayed locked for {MaxBusyRetries * BusyPause.TotalSeconds:0} s; nothing was written. Try again.")
                        : new SqliteException($"Backup step failed: {raw.sqlite3_errstr(rc).utf8_to_string()}", rc);
                }
            }
        }
        finally
        {
            raw.sqlite3_backup_finish(backup);
        }
    }

    private static void CheckIntegrity(SqliteConnection copy)
    {
        using var command = copy.CreateCommand();
        command.CommandText = "PRAGMA integrity_check;";
        using var reader = command.ExecuteReader();
        var problems = new List<string>();
        while (reader.Read()) problems.Add(reader.GetString(0));
        if (problems is not ["ok"])
            throw new BackupException($"The copy failed SQLite's integrity check ({string.Join("; ", problems.Take(3))}); nothing was written. Check the database itself with 'PRAGMA integrity_check'.");
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
