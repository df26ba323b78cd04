using Microsoft.Data.Sqlite;

namespace WebhookAdmin.Data;

/// <summary>Where the database is: <c>ConnectionStrings:Default</c>, else <c>webhookadmin.db</c> in the working directory.</summary>
public static class DatabaseConnection
{
    public static string String(IConfiguration configuration) =>
        configuration.GetConnectionString("Default") ?? "Data Source=webhookadmin.db";

    /// <summary>
    /// The SQLite file's full path, as SQLite resolves it (a relative path from the working directory, not the
    /// app's folder); null for an in-memory database, and on PostgreSQL, which has no file of ours.
    /// </summary>
    public static string? FilePath(IConfiguration configuration)
    {
        if (DatabaseOptions.ProviderOf(configuration) != DatabaseProvider.Sqlite) return null;
        var source = new SqliteConnectionStringBuilder(String(configuration)).DataSource;
        return string.IsNullOrEmpty(source) || source == ":memory:" ? null : Path.GetFullPath(source);
    }
}
