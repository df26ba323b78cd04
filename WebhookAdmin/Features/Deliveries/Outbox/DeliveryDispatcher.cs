using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Options;
using WebhookAdmin.Features.Deliveries.Reasons;
using WebhookAdmin.Features.Deliveries.Sending;

namespace WebhookAdmin.Features.Deliveries.Outbox;

/// <summary>
/// Sends claimed deliveries concurrently: at most <c>MaxConcurrency</c> requests in flight overall and
/// <c>MaxConcurrencyPerWebhook</c> towards one webhook. Each webhook has its own lane, and a delivery waits
/// for its lane before it takes a global slot, so a hanging receiver fills only its own lane and never
/// delays the others. On shutdown, deliveries still waiting go back to the outbox and in-flight ones finish.
/// </summary>
[SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification =
    "An app-lifetime singleton. Its semaphores and token sources hold nothing unmanaged (no wait handle is ever asked for), "
    + "and an attempt that outlives StopAsync still releases its slots: disposing them would turn that into an ObjectDisposedException.")]
public sealed class DeliveryDispatcher(
    DeliverySender sender,
    AttemptRecorder recorder,
    ClosedWebhooks closed,
    OutboxSignal signal,
    FreshClaims fresh,
    Data.DatabaseEngine engine,
    IOptions<DeliveryOptions> options,
    ILogger<DeliveryDispatcher> logger) : IHostedService
{
    private readonly DeliveryOptions _options = options.Value;

    /// <summary>
    /// A lane that falls back to this many wakes a waiting drain. With one process a lane holds up to two claims'
    /// worth, topped up when it is back to one; where instances share the database a webhook has at most one claim's
    /// worth in flight across all of them (<see cref="SharedWebhookCap"/>), topped up at half.
    /// </summary>
    private readonly int _laneRefillAt = engine.OwnedByOneProcess ? options.Value.MaxConcurrencyPerWebhook : options.Value.MaxConcurrencyPerWebhook / 2;
    private readonly SemaphoreSlim _global = new(options.Value.MaxConcurrency, options.Value.MaxConcurrency);
    private readonly Dictionary<string, Lane> _lanes = [];
    private readonly ConcurrentDictionary<long, Task> _running = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _abort = new();
    private int _inMemory;
    private volatile bool _backlogWaiting;

    [SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "As for the dispatcher that owns it.")]
    private sealed class Lane(int width)
    {
        public readonly SemaphoreSlim Slots = new(width, width);
        public int Count;
    }

    /// <summary>Set by the drain when it left due work behind for lack of capacity; completions then wake it.</summary>
    public bool BacklogWaiting { get => _backlogWaiting; set => _backlogWaiting = value; }

    public bool IsStopping => _stopping.IsCancellationRequested;

    /// <summary>
    /// How many more deliveries the drain may claim now: four times the global width, minus what is held in memory.
    /// Behind a backlog each claim then takes up to two widths at once (ADR-019: every transaction on the write
    /// connection costs its pages again, so a few large claims beat many small ones).
    /// </summary>
    public int FreeSlots => Math.Max(0, InMemoryLimit - Volatile.Read(ref _inMemory));

    private int InMemoryLimit => 4 * _options.MaxConcurrency;

    /// <summary>
    /// Webhooks whose lane holds more than one claim's worth (<c>MaxConcurrencyPerWebhook</c>): the drain claims
    /// nothing more for them until the lane falls back to that level, so claims come in batches, not one by one.
    /// </summary>
    public IReadOnlyCollection<string> SaturatedWebhooks()
    {
        lock (_lanes)
            return _lanes.Where(l => l.Value.Count > _options.MaxConcurrencyPerWebhook).Select(l => l.Key).ToList();
    }

    public void Dispatch(DeliveryWork work)
    {
        Lane lane;
        lock (_lanes)
        {
            if (!_lanes.TryGetValue(work.Webhook.Id, out lane!))
                _lanes[work.Webhook.Id] = lane = new Lane(_options.MaxConcurrencyPerWebhook);
            lane.Count++;
        }
        Interlocked.Increment(ref _inMemory);
        _running[work.DeliveryId] = RunAsync(work, lane);
    }

    /// <summary>
    /// A manual attempt (test, resend, health check): one global slot, no lane, the caller awaits the stored
    /// outcome. A caller that stops waiting for the slot hands the claim back at once instead of leaving it claimed.
    /// </summary>
    public async Task<AttemptResult> SendNowAsync(DeliveryWork work, CancellationToken cancellationToken)
    {
        if (work.Completion is null) throw new ArgumentException("A manual attempt needs a completion source.", nameof(work));
        try
        {
            await _global.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            recorder.Record(new NotSent(work.DeliveryId, work.Lease, Because.CallerLeft));
            throw;
        }
        try
        {
            var result = await sender.SendAsync(work, _abort.Token);
            recorder.Record(new AttemptMade(work, result));
        }
        finally
        {
            _global.Release();
        }
        return await work.Completion.Task.WaitAsync(cancellationToken);
    }

    private async Task RunAsync(DeliveryWork work, Lane lane)
    {
        await Task.Yield();
        var haveLane = false;
        var haveGlobal = false;
        try
        {
            await lane.Slots.WaitAsync(_stopping.Token);
            haveLane = true;
            // Disabled or deleted since the claim: handed back, and the database makes it held or skipped. Not the
            // snapshot's Enabled: the claim found the row pending, so the webhook was enabled in the database then,
            // and a snapshot a moment stale would only hand it back to be claimed again, in a loop.
            if (closed.IsClosed(work.Webhook.Id))
            {
                recorder.Record(new NotSent(work.DeliveryId, work.Lease, Because.WebhookDisabled));
                return;
            }
            await _global.WaitAsync(_stopping.Token);
            haveGlobal = true;
            var result = await sender.SendAsync(work, _abort.Token);
            recorder.Record(new AttemptMade(work, result));
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Shutting down before (or while) sending: hand the delivery back untouched; it is sent after restart.
            recorder.Record(new NotSent(work.DeliveryId, work.Lease, Because.AppStopped));
        }
        catch (Exception e)
        {
            logger.LogError(e, "Delivery {DeliveryId} could not be attempted; it keeps its lease and is retried later", work.DeliveryId);
        }
        finally
        {
            if (haveGlobal) _global.Release();
            if (haveLane) lane.Slots.Release();
            Leave(work, lane);
        }
    }

    private void Leave(DeliveryWork work, Lane lane)
    {
        int laneCount;
        lock (_lanes)
        {
            laneCount = --lane.Count;
            if (laneCount == 0) _lanes.Remove(work.Webhook.Id);
        }
        var inMemory = Interlocked.Decrement(ref _inMemory);
        _running.TryRemove(work.DeliveryId, out _);
        // Wake the drain when a lane or the whole dispatcher falls back to half full, not on every completion:
        // the drain then claims a batch instead of one row per finished request.
        if (BacklogWaiting && (laneCount == _laneRefillAt || inMemory == InMemoryLimit / 2 || inMemory == 0))
            signal.Wake();
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Waiting deliveries go back at once (those ingestion stored claimed and the drain has not taken too);
    /// in-flight attempts get until the host's shutdown deadline, then are cancelled.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        foreach (var row in fresh.TakeAll())
            recorder.Record(new NotSent(row.Id, row.Lease, Because.AppStopped));
        var all = Task.WhenAll(_running.Values);
        try
        {
            await all.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            await _abort.CancelAsync();
            await all.WaitAsync(TimeSpan.FromSeconds(2), CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }
}
