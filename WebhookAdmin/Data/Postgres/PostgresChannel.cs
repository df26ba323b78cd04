using Npgsql;

namespace WebhookAdmin.Data.Postgres;

/// <summary>
/// The notification channel between the instances on one PostgreSQL database (ADR-020): sending borrows a pooled
/// connection; <see cref="PostgresChannelListener"/> hears. PostgreSQL delivers a notification to every listening
/// session, the sender's own included, and refuses a message of 8,000 bytes or more.
/// </summary>
public sealed class PostgresChannel(PostgresEngine engine)
{
    public const string Name = "webhookadmin";

    internal string ConnectionString => engine.Connection;

    public async Task SendAsync(string message, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(engine.Connection);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT pg_notify(@channel, @message)", connection);
        command.Parameters.AddWithValue("channel", Name);
        command.Parameters.AddWithValue("message", message);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
