using WebhookAdmin.Features.Deliveries.Reasons;
using WebhookAdmin.Features.Deliveries.Sending;

namespace WebhookAdmin.Features.Deliveries.Outbox;

/// <summary>
/// What one committed transaction changed, as far as anything kept in memory cares: the subscription index,
/// the drain's wake-ups, webhooks closed to sending, the cache of fresh events. Writers fill it while they
/// write; <see cref="AfterCommit"/> hands it on once the commit succeeded, never before. It also carries what
/// the metrics count (events ingested, attempts by outcome, first-delivery latencies, batch sizes), so that a
/// write rolled back or retried counts nothing and a committed one counts once.
/// </summary>
public sealed class CommittedChanges
{
    private readonly HashSet<string> _closed = new(StringComparer.Ordinal);
    private readonly HashSet<string> _opened = new(StringComparer.Ordinal);
    private readonly List<EventSnapshot> _events = [];
    private readonly List<WebhookChange> _webhookChanges = [];
    private List<double>? _latencies;
    private List<ClaimedRow>? _claimedAtInsert;

    /// <summary>Webhooks, memberships, projects, companies or users changed: whatever is derived from them reloads.</summary>
    public bool Subscriptions { get; private set; }

    /// <summary>Deliveries became due now: the drain should run.</summary>
    public bool DueNow { get; private set; }

    /// <summary>The earliest later due time written, for the retry timer.</summary>
    public DateTime? DueAt { get; private set; }

    /// <summary>Deliveries stored already claimed by this process (<see cref="FreshClaims"/>): the drain sends them.</summary>
    public IReadOnlyList<ClaimedRow> ClaimedAtInsert => _claimedAtInsert ?? (IReadOnlyList<ClaimedRow>)[];

    /// <summary>Webhooks disabled or deleted: deliveries already claimed for them are not sent.</summary>
    public IReadOnlySet<string> Closed => _closed;

    /// <summary>Webhooks enabled again.</summary>
    public IReadOnlySet<string> Opened => _opened;

    /// <summary>Events just stored, as the sender will need them.</summary>
    public IReadOnlyList<EventSnapshot> Events => _events;

    /// <summary>What happened to webhooks' health: disabled, a failure streak grew, enabled again (for notifications).</summary>
    public IReadOnlyList<WebhookChange> WebhookChanges => _webhookChanges;

    /// <summary>Published events stored (test sends and health checks are events too, but nobody published them).</summary>
    public int EventsIngested { get; private set; }

    /// <summary>Attempts stored, by outcome: every attempt made, test sends and health checks included.</summary>
    public int AttemptsDelivered { get; private set; }

    public int AttemptsFailed { get; private set; }

    /// <summary>Seconds from an event's acceptance to the 2xx of each delivery's first successful attempt.</summary>
    public IReadOnlyList<double> FirstDeliveryLatencies => _latencies ?? (IReadOnlyList<double>)[];

    /// <summary>Which outbox batch this commit was, and how many requests, claims or outcomes it carried.</summary>
    public OutboxBatch Batch { get; private set; }

    public int BatchSize { get; private set; }

    public bool IsEmpty => !Subscriptions && !DueNow && DueAt is null && _closed.Count == 0 && _opened.Count == 0 && _events.Count == 0
                           && _webhookChanges.Count == 0 && Batch == OutboxBatch.None
                           && ClaimedAtInsert.Count == 0;

    public static CommittedChanges OfSubscriptions() => new() { Subscriptions = true };

    /// <summary>
    /// Committed by another instance on the same database, as far as this one's memory cares (<see cref="ClusterRelay"/>):
    /// what it derives from the database reloads, and its drain wakes. Counts nothing: the metrics are per instance.
    /// </summary>
    public bool FromAnotherInstance { get; private init; }

    public static CommittedChanges Heard(bool subscriptions, bool dueNow, DateTime? dueAt, IEnumerable<string> closed, IEnumerable<string> opened)
    {
        var changes = new CommittedChanges { FromAnotherInstance = true, Subscriptions = subscriptions, DueNow = dueNow, DueAt = dueAt };
        foreach (var id in closed) changes.WebhookClosed(id);
        foreach (var id in opened) changes.WebhookOpened(id);
        return changes;
    }

    public void SubscriptionsChanged() => Subscriptions = true;

    /// <summary>A delivery is due at <paramref name="due"/>: at once if that is not later than <paramref name="now"/>.</summary>
    public void Due(DateTime due, DateTime now)
    {
        if (due <= now) DueNow = true;
        else if (DueAt is null || due < DueAt) DueAt = due;
    }

    public void WebhookClosed(string webhookId)
    {
        _opened.Remove(webhookId);
        _closed.Add(webhookId);
        Subscriptions = true;
    }

    public void WebhookOpened(string webhookId)
    {
        _closed.Remove(webhookId);
        _opened.Add(webhookId);
        Subscriptions = true;
    }

    public void EventStored(EventSnapshot snapshot) => _events.Add(snapshot);

    public void StoredClaimed(ClaimedRow row) => (_claimedAtInsert ??= []).Add(row);

    /// <summary>Disabled, automatically (the engine) or by a person (<paramref name="byUserId"/>).</summary>
    public void WebhookDisabled(string webhookId, PlainReason reason, string? byUserId)
    {
        WebhookClosed(webhookId);
        _webhookChanges.Add(new WebhookChange(webhookId, WebhookChangeKind.Disabled, reason, ByUserId: byUserId));
    }

    /// <summary>Its consecutive failures grew by <paramref name="grewBy"/> to <paramref name="streak"/>.</summary>
    public void FailureStreak(string webhookId, int streak, int grewBy) =>
        _webhookChanges.Add(new WebhookChange(webhookId, WebhookChangeKind.FailureStreak, Streak: streak, GrewBy: grewBy));

    /// <summary>Enabled again after a passed health check; <paramref name="released"/> deliveries went back to the outbox.</summary>
    public void WebhookEnabled(string webhookId, int released)
    {
        WebhookOpened(webhookId);
        _webhookChanges.Add(new WebhookChange(webhookId, WebhookChangeKind.Enabled, Released: released));
    }

    public void EventsPublished(int count) => EventsIngested += count;

    public void AttemptStored(bool succeeded)
    {
        if (succeeded) AttemptsDelivered++;
        else AttemptsFailed++;
    }

    public void FirstDelivered(double latencySeconds) => (_latencies ??= []).Add(latencySeconds);

    public void BatchOf(OutboxBatch batch, int size)
    {
        Batch = batch;
        BatchSize = size;
    }
}

/// <summary>The outbox's batched writes, whose sizes show how well the batching works under load.</summary>
public enum OutboxBatch
{
    None,
    /// <summary>Ingestion requests sharing one group commit.</summary>
    GroupCommit,
    /// <summary>Deliveries taken by one claim.</summary>
    Claim,
    /// <summary>Outcomes (attempts and hand-backs) the recorder stored in one transaction.</summary>
    Outcomes,
}

public enum WebhookChangeKind { Disabled, FailureStreak, Enabled }

/// <summary>
/// One change to a webhook's health, as the outbox committed it. A failure streak says how long it is and how
/// much this commit added, so an observer can tell the moment it crossed a threshold (once per streak).
/// </summary>
public sealed record WebhookChange(
    string WebhookId, WebhookChangeKind Kind, PlainReason? Reason = null, string? ByUserId = null,
    int Streak = 0, int GrewBy = 0, int Released = 0);

/// <summary>Something that keeps state derived from the database and must hear about every commit that changes it.</summary>
public interface ICommitObserver
{
    void Committed(CommittedChanges changes);
}

/// <summary>
/// The one after-commit path. The outbox's writers call it after each commit, the EF interceptor after each
/// saved change to the organization or a webhook; the API, the pages and the engine all write through those, so
/// nobody invalidates caches or wakes the drain by hand. Observers are other features' (the subscription index)
/// as well as this one's, through <see cref="ICommitObserver"/>, so the outbox depends on none of them.
/// The drain is woken last, so that when it runs the caches already hold what it was woken for.
/// </summary>
public sealed class AfterCommit(IEnumerable<ICommitObserver> observers, DrainWakeups wakeups, ILogger<AfterCommit> logger)
{
    private readonly ICommitObserver[] _observers = observers.ToArray();

    public void Publish(CommittedChanges changes)
    {
        if (changes.IsEmpty) return;
        Tell(changes);
        try
        {
            wakeups.Committed(changes);
        }
        catch (Exception e)
        {
            // The safety poll picks the work up; a lost wake costs latency, never a delivery.
            logger.LogError(e, "Waking the drain after a commit failed");
        }
    }

    private void Tell(CommittedChanges changes)
    {
        foreach (var observer in _observers)
        {
            try
            {
                observer.Committed(changes);
            }
            catch (Exception e)
            {
                // The transaction is committed: the caller's answer must not turn into an error because a cache could not be told.
                logger.LogError(e, "{Observer} failed to take a committed change", observer.GetType().Name);
            }
        }
    }
}
