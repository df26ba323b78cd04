using System.Text.Json;
using System.Text.Json.Serialization;
using WebhookAdmin.Data;
using WebhookAdmin.Data.Postgres;

namespace WebhookAdmin.Features.Deliveries.Outbox;

/// <summary>
/// Tells the other instances on the same PostgreSQL database what this one committed, and this one what they did
/// (ADR-020), through <see cref="PostgresChannel"/>: deliveries due now (their drains wake and claim, so an event
/// published to any instance is sent within milliseconds), a retry's due time (their timers), subscriptions changed
/// (their indexes reload: a webhook or membership changed on one instance counts on all within a second), and
/// webhooks closed or opened (what their dispatchers hold for a disabled webhook is not sent). What another instance
/// said is published here through <see cref="AfterCommit"/> like a commit of this one, marked as heard, so every
/// observer reacts as it would to a local commit and nothing is said back. Commits that come faster than one
/// message's round trip are merged into the next message. A lost message (the channel was down) costs latency only:
/// reconnecting counts as "everything changed", and the subscription index and the drain's poll have lifetimes of
/// their own.
/// </summary>
public sealed class ClusterRelay(PostgresChannel channel, OutboxInstance instance, Lazy<AfterCommit> afterCommit, ILogger<ClusterRelay> logger)
    : ICommitObserver, IClusterListener
{
    /// <summary>Ids per message beyond which the lists go in several: each id is 32 characters, a message at most 8,000 bytes.</summary>
    private const int IdsPerMessage = 150;

    private readonly Lock _lock = new();
    private Pending? _pending;
    private bool _sending;

    private sealed class Pending
    {
        public bool Subscriptions;
        public bool DueNow;
        public DateTime? DueAt;
        public readonly HashSet<string> Closed = new(StringComparer.Ordinal);
        public readonly HashSet<string> Opened = new(StringComparer.Ordinal);
    }

    /// <summary>What goes over the channel; <c>From</c> lets the sender ignore its own message.</summary>
    private sealed record Message(
        [property: JsonPropertyName("from")] string From,
        [property: JsonPropertyName("subscriptions")] bool Subscriptions,
        [property: JsonPropertyName("dueNow")] bool DueNow,
        [property: JsonPropertyName("dueAt")] DateTime? DueAt,
        [property: JsonPropertyName("closed")] IReadOnlyList<string> Closed,
        [property: JsonPropertyName("opened")] IReadOnlyList<string> Opened);

    public void Committed(CommittedChanges changes)
    {
        if (changes.FromAnotherInstance) return;
        if (!changes.Subscriptions && !changes.DueNow && changes.DueAt is null && changes.Closed.Count == 0 && changes.Opened.Count == 0)
            return;
        lock (_lock)
        {
            var pending = _pending ??= new Pending();
            pending.Subscriptions |= changes.Subscriptions;
            pending.DueNow |= changes.DueNow;
            if (changes.DueAt is { } at && (pending.DueAt is null || at < pending.DueAt)) pending.DueAt = at;
            foreach (var id in changes.Closed)
            {
                pending.Opened.Remove(id);
                pending.Closed.Add(id);
            }
            foreach (var id in changes.Opened)
            {
                pending.Closed.Remove(id);
                pending.Opened.Add(id);
            }
            if (_sending) return;
            _sending = true;
        }
        _ = Task.Run(SendPendingAsync);
    }

    public void Received(string message)
    {
        Message? heard;
        try
        {
            heard = JsonSerializer.Deserialize<Message>(message);
        }
        catch (JsonException e)
        {
            logger.LogWarning(e, "Ignored a message on the instances' channel that is not one of ours");
            return;
        }
        if (heard is null || heard.From == instance.Id) return;
        afterCommit.Value.Publish(CommittedChanges.Heard(heard.Subscriptions, heard.DueNow, heard.DueAt,
            heard.Closed ?? [], heard.Opened ?? []));
    }

    /// <summary>Anything may have changed while this instance was not listening: reload and drain.</summary>
    public void Listening() => afterCommit.Value.Publish(CommittedChanges.Heard(true, true, null, [], []));

    private async Task SendPendingAsync()
    {
        while (true)
        {
            Pending pending;
            lock (_lock)
            {
                if (_pending is null)
                {
                    _sending = false;
                    return;
                }
                pending = _pending;
                _pending = null;
            }
            try
            {
                foreach (var message in Messages(pending))
                    await channel.SendAsync(JsonSerializer.Serialize(message), CancellationToken.None);
            }
            catch (Exception e)
            {
                // The others catch up through their own lifetimes and polls; this instance goes on.
                logger.LogWarning(e, "Could not tell the other instances about a commit");
            }
        }
    }

    /// <summary>One message, or several when the lists of webhooks would not fit in one.</summary>
    private IEnumerable<Message> Messages(Pending pending)
    {
        var closed = pending.Closed.Chunk(IdsPerMessage).ToList();
        var opened = pending.Opened.Chunk(IdsPerMessage).ToList();
        var count = Math.Max(1, Math.Max(closed.Count, opened.Count));
        for (var i = 0; i < count; i++)
        {
            yield return new Message(instance.Id, pending.Subscriptions, pending.DueNow, pending.DueAt,
                i < closed.Count ? closed[i] : [], i < opened.Count ? opened[i] : []);
        }
    }
}
