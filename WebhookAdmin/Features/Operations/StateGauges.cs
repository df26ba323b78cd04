using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WebhookAdmin.Data;
using WebhookAdmin.Features.Deliveries;
using WebhookAdmin.Features.Webhooks;

namespace WebhookAdmin.Features.Operations;

/// <summary>What the gauges show: state of the whole database, so every instance answers the same.</summary>
public sealed record StateCounts(long OutboxPending, long Healthy, long Failing, long Disabled);

/// <summary>
/// The gauges' counts, read with a few cheap queries (the pending count from the outbox's status index, the
/// webhooks table is small) at most once per <see cref="MetricsOptions.GaugeMaxAge"/>, whatever the number of
/// scrapes or series. Webhooks are healthy, failing or disabled by the rule of the dashboard and the pages
/// (<c>WebhookConditions</c>): disabled = not enabled; failing = enabled with consecutive failures or UNHEALTHY;
/// healthy = the rest. Deleted webhooks are not counted (the entity's query filter).
/// </summary>
public sealed partial class StateGauges(IDbContextFactory<AppDbContext> dbFactory, IOptions<MetricsOptions> options, ILogger<StateGauges> logger)
{
    private const int Healthy = 0;
    private const int Failing = 1;
    private const int Disabled = 2;

    private readonly Lock _lock = new();
    private StateCounts _counts = new(0, 0, 0, 0);
    private long _readAt;
    private bool _read;

    public StateCounts Current()
    {
        lock (_lock)
        {
            // Real time, not the app's TimeProvider: this limits load on the database, which a fake clock does not slow.
            if (_read && Stopwatch.GetElapsedTime(_readAt) < options.Value.GaugeMaxAge) return _counts;
            try
            {
                _counts = Read();
                _readAt = Stopwatch.GetTimestamp();
                _read = true;
            }
            catch (Exception e)
            {
                // A scrape must still answer the counters; the gauges then show their last values.
                ReadFailed(logger, e);
            }
            return _counts;
        }
    }

    /// <summary>Synchronous: gauges are observed inside a collection callback, and SQLite answers these in microseconds.</summary>
    private StateCounts Read()
    {
        using var db = dbFactory.CreateDbContext();
        var pending = db.Deliveries.LongCount(d => d.Status == DeliveryStatus.Pending);
        // One statement, so the three states always add up to the webhooks there are.
        var states = db.Webhooks.AsNoTracking()
            .GroupBy(w => !w.Enabled ? Disabled : w.ConsecutiveFailures > 0 || w.Status == WebhookStatus.Unhealthy ? Failing : Healthy)
            .Select(g => new { State = g.Key, Count = g.LongCount() })
            .ToDictionary(g => g.State, g => g.Count);
        return new StateCounts(pending, states.GetValueOrDefault(Healthy), states.GetValueOrDefault(Failing), states.GetValueOrDefault(Disabled));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the gauges' counts failed; the last ones are shown")]
    private static partial void ReadFailed(ILogger logger, Exception exception);
}
