using System.Threading.RateLimiting;

namespace WebhookAdmin.Hosting.Limits;

/// <summary>
/// A fixed window of <see cref="RateLimit.PermitLimit"/> permits on the app's <see cref="TimeProvider"/>, for one
/// partition (one address, one email, one token). Not the framework's FixedWindowRateLimiter: that one keeps its own
/// clock, and its Retry-After is always the whole window; this one answers the time left in the current window, and
/// tests move its clock. Never queues: a request over the limit is refused at once.
/// </summary>
public sealed class ClockedWindowLimiter(RateLimit limit, TimeProvider time) : RateLimiter
{
    private readonly Lock _lock = new();
    private DateTimeOffset _windowEnds = DateTimeOffset.MinValue;
    private int _used;
    private long _refused;
    private long _granted;

    /// <summary>Idle once its window is over: the partitioned limiter then drops it, so memory follows live callers only.</summary>
    public override TimeSpan? IdleDuration
    {
        get
        {
            var now = time.GetUtcNow();
            lock (_lock) return now >= _windowEnds ? now - _windowEnds : null;
        }
    }

    public override RateLimiterStatistics GetStatistics()
    {
        lock (_lock)
            return new RateLimiterStatistics
            {
                CurrentAvailablePermits = Math.Max(0, limit.PermitLimit - _used),
                TotalFailedLeases = _refused,
                TotalSuccessfulLeases = _granted,
            };
    }

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (now >= _windowEnds)
            {
                _windowEnds = now + limit.Window;
                _used = 0;
            }
            if (_used + permitCount <= limit.PermitLimit)
            {
                _used += permitCount;
                _granted++;
                return WindowLease.Granted;
            }
            _refused++;
            return new WindowLease(false, _windowEnds - now);
        }
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AttemptAcquireCore(permitCount));

    private sealed class WindowLease(bool isAcquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public static readonly WindowLease Granted = new(true, null);

        public override bool IsAcquired => isAcquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = retryAfter;
            return retryAfter is not null && metadataName == MetadataName.RetryAfter.Name;
        }
    }
}
