namespace WebhookAdmin.Data;

/// <summary>
/// Hears what other instances on the same database say (PostgreSQL's LISTEN/NOTIFY, <see cref="Postgres.PostgresChannel"/>).
/// Implemented by the feature that speaks; the database layer only carries the words.
/// </summary>
public interface IClusterListener
{
    /// <summary>A message another instance (or this one: the listener filters) sent.</summary>
    void Received(string message);

    /// <summary>Listening (again): whatever was sent while this instance was not listening is lost.</summary>
    void Listening();
}
