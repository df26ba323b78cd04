using System.Globalization;
using WebhookAdmin.Data;

namespace WebhookAdmin.Hosting;

/// <summary>
/// <c>backup --to &lt;file&gt;</c> (contract, section 5): a consistent copy of the SQLite database, while the app may be
/// serving it. It reads the same configuration as the app (appsettings, environment, command line) to find the file,
/// and does nothing else: no migrations, no start-up tasks, nothing that would touch what a running app owns.
/// </summary>
public static class BackupCommand
{
    public const string Usage = "Usage: backup --to <file>   (a consistent copy of the SQLite database, also while the app serves)";

    public static async Task<int> RunAsync(string[] args, TextWriter? output = null, TextWriter? error = null)
    {
        output ??= Console.Out;
        error ??= Console.Error;
        var options = CommandLine.ParseOptions(args);
        if (!options.TryGetValue("to", out var to) || to == "true")
        {
            await error.WriteLineAsync(Usage);
            return 2;
        }

        // Settings given as --Key=value count, as for the app; the target path is not one of them.
        var settings = args.Where((a, i) => a.Contains('=') && !(i > 0 && args[i - 1] == "--to")).ToArray();
        var configuration = AppLocation.CreateBuilder(settings).Configuration;
        if (string.Equals(configuration["Database:Provider"], "Postgres", StringComparison.OrdinalIgnoreCase))
        {
            await error.WriteLineAsync("This instance uses PostgreSQL: back it up with pg_dump (README, \"Backups and restore\"). Nothing was copied.");
            return 1;
        }
        if (DatabaseConnection.FilePath(configuration) is not { } database)
        {
            await error.WriteLineAsync("ConnectionStrings:Default names an in-memory database: there is no file to back up.");
            return 1;
        }

        try
        {
            var copy = await SqliteBackup.CopyAsync(database, to);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Backed up {database} to {copy.Target}: {copy.Pages:N0} pages, {copy.Bytes / 1024.0 / 1024.0:0.0} MiB, integrity ok, in {copy.Elapsed.TotalSeconds:0.0} s."));
            return 0;
        }
        catch (BackupException e)
        {
            await error.WriteLineAsync(e.Message);
            return 1;
        }
    }
}
