using System.Threading.Channels;

namespace WebhookAdmin.Features.Deliveries.Outbox;

/// <summary>
/// Stores attempt outcomes in batches: whatever has arrived is planned (<see cref="OutcomePlanner"/>) and
/// written in one transaction (<see cref="OutcomeWriter"/>), so the database is not what limits delivery.
/// Callers that wait for an outcome (test, resend, health check) are released once it is committed.
/// </summary>
public sealed class AttemptRecorder(OutcomePlanner planner, OutcomeWriter writer, ILogger<AttemptRecorder> logger) : BackgroundService
{
    // Small enough that a batch holds the write gate for a few milliseconds: ingestion and claims queue behind it.
    private const int MaxBatch = 256;

    // Outcomes wait this long for company before they are written (ADR-019): a receiver has already had its delivery,
    // so only the log shows it a moment later, while each transaction on the one write connection costs about a
    // millisecond beyond its rows (its pages go to the log again), and at a few thousand deliveries a second the
    // unlingered recorder committed every few outcomes. Real time, not the TimeProvider: it is not a rule of the
    // product, and a test's frozen clock must not hold outcomes back.
    private static readonly TimeSpan Linger = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan FlushGrace = TimeSpan.FromSeconds(5);
    private readonly Channel<RecordItem> _queue = Channel.CreateUnbounded<RecordItem>(new UnboundedChannelOptions { SingleReader = true });

    public void Record(RecordItem item)
    {
        if (!_queue.Writer.TryWrite(item))
            logger.LogError("The attempt recorder is closed; delivery {DeliveryId} keeps its lease and is recovered at restart", Id(item));
    }

    /// <summary>No more items after this; <see cref="StopAsync"/> then writes what is queued.</summary>
    public void Complete() => _queue.Writer.TryComplete();

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        Complete();
        // The dispatcher stops first and may use up the host's whole shutdown deadline waiting for in-flight
        // attempts; what they hand back must still be written (a batch takes milliseconds), or those rows keep
        // their lease until the next start. So the last batch gets its own short grace, not the host's token.
        if (ExecuteTask is { } running)
            await running.WaitAsync(FlushGrace, CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<RecordItem>(MaxBatch);
        // Not stoppingToken: on shutdown the loop ends when the channel is completed and empty, so nothing queued is lost.
        while (await _queue.Reader.WaitToReadAsync(CancellationToken.None))
        {
            if (!stoppingToken.IsCancellationRequested) await Task.Delay(Linger, CancellationToken.None);
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var item))
                batch.Add(item);
            await WriteWithRetryAsync(batch);
            batch.Clear();
        }
    }

    private async Task WriteWithRetryAsync(List<RecordItem> batch)
    {
        // Planned once: a retry of the write must not draw new jitter or a new "now".
        var plan = planner.Plan(batch);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await writer.WriteAsync(plan);
                foreach (var item in batch)
                    if (item is AttemptMade { Work.Completion: { } waiting } made) waiting.TrySetResult(made.Result);
                return;
            }
            catch (Exception e) when (attempt < 5)
            {
                logger.LogWarning(e, "Storing {Count} attempt outcomes failed (try {Attempt}); retrying", batch.Count, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt));
            }
            catch (Exception e)
            {
                // The rows keep their lease and are sent again after it expires or at restart: at least once.
                logger.LogError(e, "Storing {Count} attempt outcomes failed; their deliveries will be retried", batch.Count);
                foreach (var item in batch)
                    if (item is AttemptMade { Work.Completion: { } waiting }) waiting.TrySetException(e);
                return;
            }
        }
    }

    private static long Id(RecordItem item) => item switch
    {
        AttemptMade made => made.Work.DeliveryId,
        NotSent notSent => notSent.DeliveryId,
        _ => 0,
    };
}
