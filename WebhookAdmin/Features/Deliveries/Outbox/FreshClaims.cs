using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace WebhookAdmin.Features.Deliveries.Outbox;

/// <summary>
/// Deliveries claimed as they are stored (ADR-019). When the drain has caught up and has room, ingestion writes a
/// fresh event's deliveries already <c>delivering</c> under a lease, and after the commit hands them here; the drain
/// takes them on its next run and sends them, without a claim of its own. That skips a transaction and a status
/// change per delivery, which profiles showed to be what bounded throughput (on SQLite the one write connection, on
/// PostgreSQL the claim's <c>UPDATE</c> and the drain's round trips). When the drain is behind (or full), rows are
/// stored pending as before and the drain claims them oldest first, so a fresh event never overtakes a backlog.
/// It knows no dispatcher of its own: the after-commit path hands rows to it, and the dispatcher depends on that path.
/// Where instances share the database the appender also limits the budget by what all of them have in flight
/// (<see cref="SharedWebhookCap"/>, <see cref="ClaimBudget.LimitTo"/>).
/// </summary>
public sealed class FreshClaims(IOptions<DeliveryOptions> options)
{
    private readonly ConcurrentQueue<ClaimedRow> _handedOver = new();
    private int _waiting;
    private volatile bool _outboxCaughtUp;

    /// <summary>Set by the drain: its last claim left nothing due behind (false while it is behind or full).</summary>
    public bool OutboxCaughtUp { get => _outboxCaughtUp; set => _outboxCaughtUp = value; }

    /// <summary>
    /// How many of the rows about to be stored may be claimed at once, and for which webhooks: none unless the drain
    /// has caught up, at most the dispatcher's free room minus what is handed over and not yet taken, and none for a
    /// webhook whose lane is already full.
    /// </summary>
    public ClaimBudget Budget(DeliveryDispatcher dispatcher)
    {
        // Not while stopping: the dispatcher hands back what is handed over at its stop, and nothing after it.
        if (!options.Value.ClaimAtInsert || !OutboxCaughtUp || dispatcher.IsStopping) return ClaimBudget.None;
        var room = dispatcher.FreeSlots - Volatile.Read(ref _waiting);
        return room <= 0 ? ClaimBudget.None : new ClaimBudget(room, options.Value.MaxConcurrencyPerWebhook, dispatcher.SaturatedWebhooks());
    }

    /// <summary>After the commit (and its fsync) that stored them: the drain may send them now.</summary>
    public void HandOver(IReadOnlyList<ClaimedRow> rows)
    {
        foreach (var row in rows) _handedOver.Enqueue(row);
        Interlocked.Add(ref _waiting, rows.Count);
    }

    /// <summary>Everything handed over so far, for the drain to send.</summary>
    public List<ClaimedRow> TakeAll()
    {
        var rows = new List<ClaimedRow>();
        while (_handedOver.TryDequeue(out var row)) rows.Add(row);
        Interlocked.Add(ref _waiting, -rows.Count);
        return rows;
    }
}

/// <summary>The room one transaction of ingestion has for claiming its rows as it stores them.</summary>
public sealed class ClaimBudget(int room, int perWebhook, IReadOnlyCollection<string> saturated)
{
    public static readonly ClaimBudget None = new(0, 0, []);

    private readonly Dictionary<string, int> _taken = new(StringComparer.Ordinal);
    private IReadOnlyDictionary<string, int>? _shared;
    private int _left = room;

    /// <summary>Nothing may be claimed: the appender then asks the database for nothing either.</summary>
    public bool IsNone => _left <= 0;

    /// <summary>
    /// Where instances share the database: at most <paramref name="shared"/>'s room for each webhook (its limit less
    /// what every instance has in flight, <see cref="SharedWebhookCap"/>), none for a webhook missing from it.
    /// </summary>
    public void LimitTo(IReadOnlyDictionary<string, int> shared) => _shared = shared;

    /// <summary>True (and counted) when a new delivery to <paramref name="webhookId"/> may be stored claimed.</summary>
    public bool TryTake(string webhookId)
    {
        if (_left <= 0 || saturated.Contains(webhookId)) return false;
        var taken = _taken.GetValueOrDefault(webhookId);
        if (taken >= (_shared is null ? perWebhook : Math.Min(perWebhook, _shared.GetValueOrDefault(webhookId)))) return false;
        _taken[webhookId] = taken + 1;
        _left--;
        return true;
    }
}
