namespace WebhookAdmin.Data;

/// <summary>The <c>Database</c> configuration section.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>
    /// <c>Sqlite</c> (default): one process on a file. <c>Postgres</c>: any number of instances on one PostgreSQL
    /// database, with <c>ConnectionStrings:Default</c> an Npgsql connection string (ADR-020).
    /// </summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>
    /// <c>Full</c> (default): an accepted event is on disk before its 202 (the write-ahead log is synced after the
    /// commit), so it survives a power cut; concurrent ingestions share one commit and one fsync. <c>Normal</c>: it
    /// survives a crash of the process only (SQLite's <c>synchronous=NORMAL</c> in WAL mode), for a machine whose
    /// disk cache is battery-backed or a throwaway setup. PostgreSQL commits durably by its own settings
    /// (<c>synchronous_commit</c>), whatever this says.
    /// </summary>
    public DatabaseSynchronous Synchronous { get; set; } = DatabaseSynchronous.Full;

    /// <summary>
    /// The provider named by configuration, read when services are registered (it decides which are). A value
    /// that is neither stops the start with a message naming the key, rather than quietly running on SQLite.
    /// </summary>
    /// <summary>
    /// Whether several instances may share the database (PostgreSQL; the engine is then not
    /// <see cref="DatabaseEngine.OwnedByOneProcess"/>), so work that must run once per cluster runs on the clustered
    /// scheduler (ADR-021). Read when services are registered, as <see cref="ProviderOf"/> is.
    /// </summary>
    public static bool SharedByInstances(IConfiguration configuration) => ProviderOf(configuration) == DatabaseProvider.Postgres;

    public static DatabaseProvider ProviderOf(IConfiguration configuration)
    {
        var value = configuration[$"{Section}:{nameof(Provider)}"];
        if (string.IsNullOrWhiteSpace(value)) return DatabaseProvider.Sqlite;
        return Enum.TryParse<DatabaseProvider>(value.Trim(), ignoreCase: true, out var provider) && Enum.IsDefined(provider)
            ? provider
            : throw new InvalidOperationException($"Database:Provider must be Sqlite or Postgres, not '{value}'.");
    }
}

public enum DatabaseSynchronous { Full, Normal }

public enum DatabaseProvider { Sqlite, Postgres }
