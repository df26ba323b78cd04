using Npgsql;

namespace WebhookAdmin.Data.Postgres;

/// <summary>
/// Listens on <see cref="PostgresChannel"/> for as long as the app runs, on a connection of its own, and hands each
/// message to the <see cref="IClusterListener"/>s. After a failure it reconnects and tells them it listens again, so
/// they can assume they missed something.
/// </summary>
public sealed class PostgresChannelListener(PostgresChannel channel, IEnumerable<IClusterListener> listeners, ILogger<PostgresChannelListener> logger)
    : BackgroundService
{
    private static readonly TimeSpan ReconnectDelay = TimeSpan.FromSeconds(1);
    private readonly IClusterListener[] _listeners = listeners.ToArray();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Lost the notification channel to the other instances; reconnecting in {Delay}", ReconnectDelay);
                try
                {
                    await Task.Delay(ReconnectDelay, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        // Outside the pool: this session lives as long as the app, and a pooled one would be reset when returned.
        var builder = new NpgsqlConnectionStringBuilder(channel.ConnectionString) { Pooling = false, KeepAlive = 30 };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        connection.Notification += (_, e) => Tell(l => l.Received(e.Payload));
        await connection.OpenAsync(stoppingToken);
        await using (var listen = new NpgsqlCommand($"LISTEN {PostgresChannel.Name}", connection))
            await listen.ExecuteNonQueryAsync(stoppingToken);
        Tell(l => l.Listening());
        while (true) await connection.WaitAsync(stoppingToken);
    }

    private void Tell(Action<IClusterListener> action)
    {
        foreach (var listener in _listeners)
        {
            try
            {
                action(listener);
            }
            catch (Exception e)
            {
                logger.LogError(e, "{Listener} failed to take a message from another instance", listener.GetType().Name);
            }
        }
    }
}
