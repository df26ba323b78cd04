namespace WebhookAdmin.Data;

/// <summary>
/// Serializes the hot-path writers of this process (ingestion, claims, the attempt recorder) before they
/// open a write transaction. SQLite allows one writer at a time and makes the others poll with sleeps of
/// 1–100 ms (busy_timeout); queueing in process instead keeps commits back to back and latency in
/// milliseconds. Rare writers elsewhere (settings, webhook edits) still rely on busy_timeout.
/// </summary>
public sealed class WriteGate
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async ValueTask<IDisposable> EnterAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        return new Releaser(_gate);
    }

    private sealed class Releaser(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) gate.Release();
        }
    }
}
