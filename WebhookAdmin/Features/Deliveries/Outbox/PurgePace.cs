namespace WebhookAdmin.Features.Deliveries.Outbox;

/// <summary>
/// How many rows one purge batch takes and how long the purge rests after it. The purge shares the write gate with
/// ingestion, claims and the attempt recorder (ADR-009), so a batch must end within a few milliseconds, and the rest
/// after it leaves the gate, the CPU and the disk to them. The batch grows while batches end well within
/// <see cref="Target"/> and halves when one takes longer: deleting a delivery costs from a few to hundreds of
/// microseconds depending on its attempts' sizes and on what else the machine does. The rest depends on whether
/// anyone else wrote during the last one: on a busy app the purge takes at most a tenth of the gate's time (measured:
/// a quarter raised the healthy p99 several times on this 2-core machine, where every purged page is also more log for
/// ingestion's fsync to flush); on an idle one it goes as fast as it can.
/// </summary>
public sealed class PurgePace
{
    public const int MinBatch = 16;
    public const int MaxBatch = 2_000;
    public const int FirstBatch = 128;

    /// <summary>While others write, the purge rests this many times as long as its batch held the gate.</summary>
    public const int BusyRestFactor = 9;

    public static readonly TimeSpan Target = TimeSpan.FromMilliseconds(5);
    public static readonly TimeSpan MinBusyRest = TimeSpan.FromMilliseconds(10);
    public static readonly TimeSpan MinRest = TimeSpan.FromMilliseconds(1);

    public int BatchSize { get; private set; } = FirstBatch;

    /// <summary>
    /// Takes how long a batch held the gate and whether other writers used the gate since the previous batch; answers
    /// how long to rest before the next one.
    /// </summary>
    public TimeSpan Observe(TimeSpan held, bool othersWriting)
    {
        if (held > Target) BatchSize = Math.Max(MinBatch, BatchSize / 2);
        else if (held < Target / 2) BatchSize = Math.Min(MaxBatch, BatchSize + BatchSize / 4 + 1);
        if (!othersWriting) return MinRest;
        var rest = held * BusyRestFactor;
        return rest > MinBusyRest ? rest : MinBusyRest;
    }
}
