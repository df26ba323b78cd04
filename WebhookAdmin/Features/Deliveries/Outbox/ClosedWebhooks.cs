using System.Collections.Concurrent;

namespace WebhookAdmin.Features.Deliveries.Outbox;

/// <summary>
/// Webhooks disabled or deleted since their deliveries were claimed: deliveries still waiting in memory for
/// them are not sent but handed back (the database then decides held or skipped). Filled after each commit.
/// </summary>
public sealed class ClosedWebhooks : ICommitObserver
{
    private readonly ConcurrentDictionary<string, byte> _closed = new(StringComparer.Ordinal);

    public bool IsClosed(string webhookId) => _closed.ContainsKey(webhookId);

    public void Committed(CommittedChanges changes)
    {
        foreach (var id in changes.Closed) _closed[id] = 0;
        foreach (var id in changes.Opened) _closed.TryRemove(id, out _);
    }
}
