using System.Collections.Concurrent;
using WebhookAdmin.Features.Deliveries.Outbox;

namespace WebhookAdmin.Features.Deliveries.Sending;

/// <summary>
/// Events just stored, as the sender needs them, so the first attempt of a delivery does not read its event
/// back from the database. Filled after each commit that stored events; bounded, the oldest entries go first;
/// a miss simply reads the database.
/// </summary>
public sealed class EventCache : ICommitObserver
{
    public const int Capacity = 50_000;
    private readonly ConcurrentDictionary<string, EventSnapshot> _events = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _order = new();

    public void Committed(CommittedChanges changes)
    {
        foreach (var snapshot in changes.Events) Add(snapshot);
    }

    public bool TryGet(string eventId, out EventSnapshot snapshot) => _events.TryGetValue(eventId, out snapshot!);

    private void Add(EventSnapshot snapshot)
    {
        if (!_events.TryAdd(snapshot.Id, snapshot)) return;
        _order.Enqueue(snapshot.Id);
        while (_events.Count > Capacity && _order.TryDequeue(out var oldest))
            _events.TryRemove(oldest, out _);
    }
}
