using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace WebhookAdmin.Data;

/// <summary>How a conflicting insert failed, in terms the outbox acts on.</summary>
public enum WriteConflict { DuplicateKey, MissingParent }

/// <summary>
/// The one seam between the app and its database provider (ADR-020): everything that differs between SQLite and
/// PostgreSQL beyond what EF Core hides. The statements of the hot path are written once, in SQLite's dialect
/// with quoted identifiers, and <see cref="Translate"/> rewrites the few constructs PostgreSQL spells otherwise.
/// </summary>
public abstract class DatabaseEngine(IConfiguration configuration)
{
    public abstract DatabaseProvider Provider { get; }

    /// <summary>
    /// One process owns the database (SQLite's file): at start-up every claim left in it is an orphan of a process
    /// that died. Otherwise other instances may hold live claims, and only expired leases are taken back.
    /// </summary>
    public abstract bool OwnedByOneProcess { get; }

    /// <summary>How many hot-path writers of this process may write at once (<see cref="WriteGate"/>).</summary>
    public abstract int WriteConnections { get; }

    protected string ConnectionString => DatabaseConnection.String(configuration);

    /// <summary>Points an EF Core context at the database, with the provider's own interceptors.</summary>
    public abstract void Configure(DbContextOptionsBuilder options, IServiceProvider services);

    /// <summary>A new open connection for the write gate, set up for a long life and many prepared statements.</summary>
    public abstract DbConnection OpenWriteConnection();

    /// <summary>The statement as this provider spells it; called once per statement (the write gate caches the result).</summary>
    public virtual string Translate(string sql) => sql;

    /// <summary>
    /// A list bound as one parameter, for the list constructs of <see cref="Translate"/>
    /// (<c>IN (SELECT "value" FROM json_each(@p))</c>).
    /// </summary>
    public abstract object List<T>(IReadOnlyCollection<T> values);

    /// <summary>A primary-key or unique violation, or a foreign key pointing nowhere; null for any other failure.</summary>
    public abstract WriteConflict? Classify(DbException exception);

    /// <summary>
    /// After a commit that must survive a power cut, outside the write gate: what the provider did not already
    /// make durable in the commit itself.
    /// </summary>
    public virtual void MakeCommitsDurable() { }

    /// <summary>Brings the schema up to date (one instance at a time where several share the database).</summary>
    public abstract Task MigrateAsync(IDbContextFactory<AppDbContext> dbFactory, CancellationToken cancellationToken);
}
