namespace WebhookAdmin.Features.Deliveries.Outbox;

/// <summary>
/// Wakes the drain when the earliest scheduled retry falls due. It runs on the app's TimeProvider, so a
/// test that advances a fake clock past a retry time sees the retry sent, without sleeping.
/// </summary>
public sealed class NextDueTimer : IDisposable
{
    private readonly TimeProvider _time;
    private readonly ITimer _timer;
    private readonly Lock _lock = new();
    private DateTime? _scheduledFor;

    // Set when the earliest known due time has passed (the timer fired) and at start: the next drain run then
    // reads the outbox for the following due time. Otherwise everyone who schedules a retry tells the timer.
    private int _stale = 1;

    public NextDueTimer(TimeProvider time, OutboxSignal signal)
    {
        _time = time;
        _timer = time.CreateTimer(_ =>
        {
            lock (_lock) _scheduledFor = null;
            Volatile.Write(ref _stale, 1);
            signal.Wake();
        }, null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Makes sure a wake happens no later than <paramref name="dueUtc"/>; an earlier wake already set stays.</summary>
    public void WakeAt(DateTime? dueUtc)
    {
        if (dueUtc is not { } due) return;
        lock (_lock)
        {
            if (_scheduledFor is { } current && current <= due) return;
            _scheduledFor = due;
            var wait = due - _time.GetUtcNow().UtcDateTime;
            // Fires at the due time itself: a retry is owed when the clock reads its nextAttemptAt. A real timer
            // that fires a hair early finds nothing to claim, and the drain re-arms for the remainder.
            _timer.Change(wait < TimeSpan.Zero ? TimeSpan.Zero : wait, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>True once after the timer fired (or at start): the caller should look up the next due time.</summary>
    public bool TakeStale() => Interlocked.Exchange(ref _stale, 0) == 1;

    /// <summary>Forces the next drain run to look up the next due time (the safety poll does).</summary>
    public void MarkStale() => Volatile.Write(ref _stale, 1);

    public void Dispose() => _timer.Dispose();
}
