using System.Data.Common;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using WebhookAdmin.Data;
using WebhookAdmin.Features.Deliveries.Sending;
using WebhookAdmin.Features.Events;

namespace WebhookAdmin.Features.Deliveries.Outbox;

/// <summary>
/// Stores events and their deliveries: the one place that writes them. Ingestion's writes are group-committed:
/// every request that arrives while a commit is under way joins the next one, so many requests share one
/// durable commit (one fsync) instead of each waiting for its own. A group in which a request fails (a repeated
/// event id) is written again with each request in its own savepoint, so that one is undone and the others stand;
/// savepoints are kept off the common path because each one costs a statement journal. When the drain has caught
/// up, a fresh event's deliveries are stored already claimed and handed to it after the commit (<see cref="FreshClaims"/>).
/// </summary>
public sealed class OutboxAppender : IAsyncDisposable
{
    // A group stays small enough that the write gate is never held long (ingestion, claims and the recorder share it).
    private const int MaxRowsPerCommit = 4000;

    private readonly WriteGate _writeGate;
    private readonly AfterCommit _afterCommit;
    private readonly TimeProvider _time;
    private readonly FreshClaims _fresh;
    private readonly DeliveryDispatcher _dispatcher;
    private readonly OutboxInstance _instance;
    private readonly TimeSpan _leaseFor;
    private readonly int _perWebhook;
    private readonly ILogger<OutboxAppender> _logger;
    private readonly bool _durable;
    private readonly Channel<Request> _queue = Channel.CreateUnbounded<Request>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _committer;
    private long _commits;

    public OutboxAppender(WriteGate writeGate, AfterCommit afterCommit, TimeProvider time, IOptions<DatabaseOptions> options,
        FreshClaims fresh, DeliveryDispatcher dispatcher, OutboxInstance instance, IOptions<DeliveryOptions> delivery, ILogger<OutboxAppender> logger)
    {
        _writeGate = writeGate;
        _afterCommit = afterCommit;
        _time = time;
        _fresh = fresh;
        _dispatcher = dispatcher;
        _instance = instance;
        _leaseFor = delivery.Value.EffectiveLease();
        _perWebhook = delivery.Value.MaxConcurrencyPerWebhook;
        _logger = logger;
        _durable = options.Value.Synchronous == DatabaseSynchronous.Full;
        _committer = Task.Run(CommitLoopAsync);
    }

    /// <summary>How many group commits the appender has made; with the requests they carried, it shows the grouping.</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>Requests handed to the appender and not yet answered.</summary>
    public int Unanswered => Volatile.Read(ref _unanswered);
    private int _unanswered;

    /// <summary>Stores the entries, all or none, their pending deliveries due at <paramref name="due"/>; returns once committed.</summary>
    public Task<AppendOutcome> AppendAsync(IReadOnlyList<OutboxEntry> entries, DateTime due)
    {
        var request = new Request(entries, due);
        Interlocked.Increment(ref _unanswered);
        if (!_queue.Writer.TryWrite(request))
        {
            Interlocked.Decrement(ref _unanswered);
            throw new ObjectDisposedException(nameof(OutboxAppender), "The app is stopping.");
        }
        return request.Done.Task;
    }

    /// <summary>A test send or health check: its event and one delivery, claimed at once by the caller who sends it.</summary>
    public async Task<long> AppendClaimedAsync(
        EventRecord evt, EventSnapshot snapshot, string webhookId, string lease, DateTime leaseUntil, CancellationToken cancellationToken)
    {
        await using var session = await OutboxSession.BeginAsync(_writeGate, _afterCommit, durable: false, cancellationToken);
        InsertEvent(session, evt);
        long id = 0;
        session.QueueValue(OutboxSql.InsertClaimedDelivery, value => id = (long)value!, ("@webhook", webhookId), ("@event", evt.Id),
            ("@type", evt.Type), ("@project", evt.ProjectId), ("@due", null), ("@created", evt.ReceivedAt), ("@lease", lease),
            ("@until", leaseUntil));
        await session.FlushAsync();
        session.Changes.EventStored(snapshot);
        await session.CommitAsync();
        return id;
    }

    private async Task CommitLoopAsync()
    {
        var group = new List<Request>();
        while (await _queue.Reader.WaitToReadAsync())
        {
            var rows = 0;
            while (rows < MaxRowsPerCommit && _queue.Reader.TryRead(out var request))
            {
                group.Add(request);
                rows += request.Rows;
            }
            await CommitGroupAsync(group);
            group.Clear();
        }
    }

    private async Task CommitGroupAsync(List<Request> group)
    {
        AppendOutcome[] outcomes;
        try
        {
            // Almost every group is all new events: written straight through. A group that meets a repeated id or a
            // vanished webhook is written again with each request in its own savepoint, so the others still commit.
            outcomes = await TryCommitAsync(group, savepoints: false) ?? (await TryCommitAsync(group, savepoints: true))!;
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Storing {Count} ingestion requests failed", group.Count);
            Interlocked.Add(ref _unanswered, -group.Count);
            foreach (var request in group) request.Done.TrySetException(e);
            return;
        }
        Interlocked.Add(ref _unanswered, -group.Count);
        for (var i = 0; i < group.Count; i++) group[i].Done.TrySetResult(outcomes[i]);
    }

    /// <summary>The group in one transaction; without savepoints, null (rolled back) when any request conflicts.</summary>
    private async Task<AppendOutcome[]?> TryCommitAsync(List<Request> group, bool savepoints)
    {
        var outcomes = new AppendOutcome[group.Count];
        await using var session = await OutboxSession.BeginAsync(_writeGate, _afterCommit, _durable, CancellationToken.None);
        var now = _time.GetUtcNow().UtcDateTime;
        var claim = new InsertClaim(await BudgetAsync(session, group, now), _instance.NewLease(), now, now + _leaseFor);
        var claimed = new List<ClaimedRow>[group.Count];
        for (var i = 0; i < group.Count; i++)
        {
            claimed[i] = [];
            if (savepoints) outcomes[i] = await WriteInSavepointAsync(session, group[i], claim, claimed[i]);
            else Write(session, group[i], claim, claimed[i]);
        }
        if (!savepoints)
        {
            try
            {
                // The whole group in one round trip where the provider batches (StatementQueue).
                await session.FlushAsync();
            }
            catch (DbException e) when (Classify(session, e) is not null)
            {
                return null;
            }
        }
        for (var i = 0; i < group.Count; i++)
            if (outcomes[i] == AppendOutcome.Stored) Stored(session, group[i], claimed[i], now);
        session.Changes.BatchOf(OutboxBatch.GroupCommit, group.Count);
        await session.CommitAsync();
        Interlocked.Increment(ref _commits);
        return outcomes;
    }

    /// <summary>
    /// What this group may store claimed. Where instances share the database, the room of each webhook it would claim
    /// for is read under that webhook's advisory lock (held to this commit), as the drain's claim does: two
    /// instances storing at once cannot both fill the same webhook's limit.
    /// </summary>
    private async Task<ClaimBudget> BudgetAsync(OutboxSession session, List<Request> group, DateTime now)
    {
        var budget = _fresh.Budget(_dispatcher);
        if (budget.IsNone || session.Engine.OwnedByOneProcess) return budget;
        var webhooks = group.Where(r => r.Due <= now)
            .SelectMany(r => r.Entries.SelectMany(e => e.Targets.Where(t => !t.Held).Select(t => t.WebhookId)))
            .ToHashSet(StringComparer.Ordinal);
        if (webhooks.Count == 0) return budget;
        budget.LimitTo(await SharedWebhookCap.RoomAsync(session, webhooks, _perWebhook));
        return budget;
    }

    private static async Task<AppendOutcome> WriteInSavepointAsync(OutboxSession session, Request request, InsertClaim claim, List<ClaimedRow> claimed)
    {
        const string savepoint = "request";
        await session.SavepointAsync(savepoint);
        try
        {
            Write(session, request, claim, claimed);
            await session.FlushAsync();
        }
        catch (DbException e) when (Classify(session, e) is { } outcome)
        {
            await session.RollbackToSavepointAsync(savepoint);
            return outcome;
        }
        await session.ReleaseSavepointAsync(savepoint);
        return AppendOutcome.Stored;
    }

    /// <summary>
    /// Queues each delivery stored pending, held, or (when <paramref name="claim"/> has room and it is due now) claimed
    /// into <paramref name="claimed"/>, which holds them once the session has run its queue.
    /// </summary>
    private static void Write(OutboxSession session, Request request, InsertClaim claim, List<ClaimedRow> claimed)
    {
        foreach (var entry in request.Entries)
        {
            InsertEvent(session, entry.Event);
            foreach (var target in entry.Targets)
            {
                if (!target.Held && request.Due <= claim.Now && claim.Budget.TryTake(target.WebhookId))
                {
                    session.QueueValue(OutboxSql.InsertClaimedDelivery,
                        id => claimed.Add(new ClaimedRow((long)id!, target.WebhookId, entry.Event.Id, 0, 0, DeliveryStatus.Pending, claim.Lease)),
                        ("@webhook", target.WebhookId), ("@event", entry.Event.Id), ("@type", entry.Event.Type), ("@project", entry.Event.ProjectId),
                        ("@due", request.Due), ("@created", entry.Event.ReceivedAt), ("@lease", claim.Lease), ("@until", claim.Until));
                    continue;
                }
                session.Queue(OutboxSql.InsertDelivery, onRowCount: null, ("@webhook", target.WebhookId), ("@event", entry.Event.Id),
                    ("@type", entry.Event.Type), ("@project", entry.Event.ProjectId),
                    ("@status", (target.Held ? DeliveryStatus.Held : DeliveryStatus.Pending).ToName()),
                    ("@due", target.Held ? null : request.Due), ("@created", entry.Event.ReceivedAt));
            }
        }
    }

    private static void Stored(OutboxSession session, Request request, List<ClaimedRow> claimed, DateTime now)
    {
        session.Changes.EventsPublished(request.Entries.Count);
        foreach (var row in claimed) session.Changes.StoredClaimed(row);
        var pending = request.Entries.Sum(e => e.Targets.Count(t => !t.Held)) - claimed.Count;
        foreach (var entry in request.Entries) session.Changes.EventStored(entry.Snapshot);
        if (pending > 0) session.Changes.Due(request.Due, now);
    }

    /// <summary>A primary-key or unique violation is a repeated event id; a foreign key pointing nowhere, a vanished webhook.</summary>
    private static AppendOutcome? Classify(OutboxSession session, DbException e) => session.Conflict(e) switch
    {
        WriteConflict.DuplicateKey => AppendOutcome.DuplicateEvent,
        WriteConflict.MissingParent => AppendOutcome.WebhookGone,
        _ => null,
    };

    private static void InsertEvent(OutboxSession session, EventRecord e) => session.Queue(OutboxSql.InsertEvent, onRowCount: null,
        ("@id", e.Id), ("@type", e.Type), ("@project", e.ProjectId), ("@company", e.CompanyId),
        ("@projectName", e.ProjectName), ("@companyName", e.CompanyName), ("@actor", e.ActorId),
        ("@occurred", e.OccurredAt), ("@received", e.ReceivedAt), ("@previous", e.PreviousValueJson),
        ("@current", e.CurrentValueJson), ("@count", e.DeliveryCount), ("@origin", e.Origin.ToString()), ("@trace", e.TraceParent),
        ("@subject", e.SubjectJson));

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        // What was accepted into the queue is still written; a stuck disk must not hang the shutdown for ever.
        await _committer.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    /// <summary>One transaction's room for claiming as it stores (<see cref="FreshClaims"/>), under one lease.</summary>
    private sealed record InsertClaim(ClaimBudget Budget, string Lease, DateTime Now, DateTime Until);

    private sealed class Request(IReadOnlyList<OutboxEntry> entries, DateTime due)
    {
        public IReadOnlyList<OutboxEntry> Entries { get; } = entries;
        public DateTime Due { get; } = due;
        public int Rows { get; } = entries.Sum(e => 1 + e.Targets.Count);
        public TaskCompletionSource<AppendOutcome> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
