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

    public NextDueTimer(TimeProvider time, OutboxSignal signal)
    {
        _time = time;
        _timer = time.CreateTimer(_ =>
        {
            lock (_lock) _scheduledFor = null;
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

    public void Dispose() => _timer.Dispose();
}
