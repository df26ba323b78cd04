namespace WebhookAdmin.Data;

/// <summary>The <c>Database</c> configuration section.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>
    /// <c>Full</c> (default): an accepted event is on disk before its 202 (the write-ahead log is synced after the
    /// commit), so it survives a power cut; concurrent ingestions share one commit and one fsync. <c>Normal</c>: it
    /// survives a crash of the process only (SQLite's <c>synchronous=NORMAL</c> in WAL mode), for a machine whose
    /// disk cache is battery-backed or a throwaway setup.
    /// </summary>
    public DatabaseSynchronous Synchronous { get; set; } = DatabaseSynchronous.Full;
}

public enum DatabaseSynchronous { Full, Normal }
