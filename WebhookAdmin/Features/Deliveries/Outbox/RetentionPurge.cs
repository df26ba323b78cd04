using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WebhookAdmin.Data;

namespace WebhookAdmin.Features.Deliveries.Outbox;

/// <summary>What one purge removed, and how long it took.</summary>
public sealed record PurgeResult(int Deliveries, int Attempts, int Events, int Revisions, int Batches, TimeSpan Elapsed)
{
    public int Rows => Deliveries + Attempts + Events + Revisions;
}

/// <summary>
/// Deletes what retention no longer keeps (<see cref="RetentionRules"/>): finished deliveries with their attempts,
/// the events left with no delivery, and the webhook revisions nothing points at any more. It works in small batches
/// through the write gate, each its own transaction, and rests between them (<see cref="PurgePace"/>) so that
/// ingestion, claims and the attempt recorder get the gate in between: a purge of a million rows never holds up a
/// delivery by more than one batch. Called by <see cref="RetentionJob"/>; independent of how it is scheduled.
/// </summary>
public sealed class RetentionPurge(
    WriteGate writeGate, AfterCommit afterCommit, IDbContextFactory<AppDbContext> dbFactory, TimeProvider time,
    IOptionsMonitor<RetentionOptions> retention, IOptions<DeliveryOptions> delivery, ILogger<RetentionPurge> logger)
{
    public async Task<PurgeResult> RunAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var now = time.GetUtcNow().UtcDateTime;
        var cutoffs = RetentionCutoffs.At(now, retention.CurrentValue);
        var pace = new PurgePace();
        var tally = new Tally();

        foreach (var status in RetentionRules.Finished)
            await PurgeDeliveriesAsync(status, status == DeliveryStatus.Failed ? cutoffs.Failed : cutoffs.Finished, cutoffs, pace, tally, cancellationToken);
        await PurgeUnmatchedEventsAsync(cutoffs.Finished, pace, tally, cancellationToken);
        await PurgeRevisionsAsync(now, tally, cancellationToken);

        var result = new PurgeResult(tally.Deliveries, tally.Attempts, tally.Events, tally.Revisions, tally.Batches, clock.Elapsed);
        if (result.Rows > 0)
            logger.LogInformation(
                "Retention removed {Deliveries} deliveries, {Attempts} attempts, {Events} events and {Revisions} webhook revisions in {Batches} batches ({Seconds:0.0} s)",
                result.Deliveries, result.Attempts, result.Events, result.Revisions, result.Batches, result.Elapsed.TotalSeconds);
        return result;
    }

    /// <summary>One status, walked in id order up to the newest delivery created before the cutoff.</summary>
    private async Task PurgeDeliveriesAsync(
        DeliveryStatus status, DateTime cutoff, RetentionCutoffs cutoffs, PurgePace pace, Tally tally, CancellationToken cancellationToken)
    {
        // Ids grow with creation, and a delivery's last activity is never before its creation: nothing created after
        // the cutoff can have expired, so the walk stops there instead of reading every newer row of the status.
        if (await LastIdCreatedBeforeAsync(cutoff, cancellationToken) is not { } upTo) return;
        var after = 0L;
        while (true)
        {
            var started = Stopwatch.GetTimestamp();
            var limit = pace.BatchSize;
            var (read, last) = await PurgeBatchAsync(status, after, upTo, limit, cutoffs, tally, cancellationToken);
            var rest = pace.Observe(Stopwatch.GetElapsedTime(started), tally.OthersWroteSinceLastBatch(writeGate));
            if (read < limit || last >= upTo) return;
            after = last;
            await RestAsync(rest, cancellationToken);
        }
    }

    private async Task<(int Read, long Last)> PurgeBatchAsync(
        DeliveryStatus status, long after, long upTo, int limit, RetentionCutoffs cutoffs, Tally tally, CancellationToken cancellationToken)
    {
        await using var session = await OutboxSession.BeginAsync(writeGate, afterCommit, durable: false, cancellationToken);
        var expired = new List<long>();
        var events = new HashSet<string>(StringComparer.Ordinal);
        var (read, last) = (0, after);
        await using (var reader = await session.ReadAsync(RetentionSql.Candidates, cancellationToken,
                         ("@status", status.ToName()), ("@after", after), ("@upTo", upTo), ("@limit", limit)))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                read++;
                last = reader.GetInt64(0);
                var lastActivity = DateTime.SpecifyKind(reader.GetDateTime(2), DateTimeKind.Utc);
                if (!RetentionRules.Expired(status, lastActivity, reader.GetBoolean(3), cutoffs)) continue;
                expired.Add(last);
                events.Add(reader.GetString(1));
            }
        }
        if (expired.Count > 0)
        {
            var ids = session.List(expired);
            tally.Attempts += await session.RunAsync(RetentionSql.DeleteAttempts, ("@ids", ids));
            tally.Deliveries += await session.RunAsync(RetentionSql.DeleteDeliveries, ("@ids", ids));
            tally.Events += await session.RunAsync(RetentionSql.DeleteEventsLeftAlone, ("@ids", session.List(events)));
        }
        await session.CommitAsync();
        tally.Batches++;
        return (read, last);
    }

    private async Task PurgeUnmatchedEventsAsync(DateTime cutoff, PurgePace pace, Tally tally, CancellationToken cancellationToken)
    {
        while (true)
        {
            var started = Stopwatch.GetTimestamp();
            var limit = pace.BatchSize;
            int deleted;
            await using (var session = await OutboxSession.BeginAsync(writeGate, afterCommit, durable: false, cancellationToken))
            {
                deleted = await session.RunAsync(RetentionSql.DeleteUnmatchedEvents, ("@cutoff", cutoff), ("@limit", limit));
                await session.CommitAsync();
            }
            tally.Events += deleted;
            tally.Batches++;
            var rest = pace.Observe(Stopwatch.GetElapsedTime(started), tally.OthersWroteSinceLastBatch(writeGate));
            if (deleted < limit) return;
            await RestAsync(rest, cancellationToken);
        }
    }

    /// <summary>
    /// Revisions are few (one per change of a webhook), so they are read whole, outside the gate, and each one that
    /// goes is deleted on its own.
    /// </summary>
    private async Task PurgeRevisionsAsync(DateTime now, Tally tally, CancellationToken cancellationToken)
    {
        List<RevisionAge> candidates;
        Dictionary<string, DateTime> oldestAttempts;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var current = await db.Webhooks.IgnoreQueryFilters().AsNoTracking()
                .ToDictionaryAsync(w => w.Id, w => w.Revision, StringComparer.Ordinal, cancellationToken);
            var revisions = await db.WebhookRevisions.AsNoTracking()
                .OrderBy(r => r.WebhookId).ThenBy(r => r.Revision)
                .Select(r => new { r.WebhookId, r.Revision, r.CreatedAt })
                .ToListAsync(cancellationToken);
            // Each revision with the time the next one (by number) was written: when it stopped being sent.
            candidates = revisions.Select((r, i) => new RevisionAge(r.WebhookId, r.Revision,
                    i + 1 < revisions.Count && revisions[i + 1].WebhookId == r.WebhookId ? revisions[i + 1].CreatedAt : null))
                .Where(r => current.TryGetValue(r.WebhookId, out var revision) && r.Revision < revision)
                .ToList();
            oldestAttempts = new Dictionary<string, DateTime>(StringComparer.Ordinal);
            foreach (var webhookId in candidates.Select(r => r.WebhookId).Distinct())
            {
                // MIN over the (webhook, started) index: one seek per webhook.
                var oldest = await db.Attempts.Where(a => a.WebhookId == webhookId).MinAsync(a => (DateTime?)a.StartedAt, cancellationToken);
                if (oldest is { } at) oldestAttempts[webhookId] = DateTime.SpecifyKind(at, DateTimeKind.Utc);
            }
        }

        var margin = RetentionRules.InFlightMargin(delivery.Value.EffectiveLease());
        var unreferenced = RetentionRules.UnreferencedRevisions(candidates, oldestAttempts, now, margin).ToList();
        foreach (var chunk in unreferenced.Chunk(PurgePace.FirstBatch))
        {
            await using var session = await OutboxSession.BeginAsync(writeGate, afterCommit, durable: false, cancellationToken);
            foreach (var revision in chunk)
                tally.Revisions += await session.RunAsync(RetentionSql.DeleteRevision, ("@webhook", revision.WebhookId), ("@revision", revision.Revision));
            await session.CommitAsync();
            tally.Batches++;
            await RestAsync(PurgePace.MinBusyRest, cancellationToken);
        }
    }

    private async Task<long?> LastIdCreatedBeforeAsync(DateTime cutoff, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // The CreatedAt index, newest first: one seek.
        return await db.Deliveries.Where(d => d.CreatedAt < cutoff).OrderByDescending(d => d.CreatedAt)
            .Select(d => (long?)d.Id).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>
    /// Real time, not the app's clock: the rest is about sharing the gate and the CPU now (and a test's fake clock
    /// would never let it end).
    /// </summary>
    private static Task RestAsync(TimeSpan rest, CancellationToken cancellationToken) => Task.Delay(rest, cancellationToken);

    private sealed class Tally
    {
        public int Deliveries { get; set; }
        public int Attempts { get; set; }
        public int Events { get; set; }
        public int Revisions { get; set; }
        public int Batches { get; set; }

        private long _gateEntries = -1;

        /// <summary>
        /// Whether anyone but the purge entered the write gate since its previous batch began: each batch enters it
        /// once, so one entry is the purge's own. The first batch counts as busy (nothing is known yet).
        /// </summary>
        public bool OthersWroteSinceLastBatch(WriteGate gate)
        {
            var entries = gate.Entries;
            var busy = _gateEntries < 0 || entries - _gateEntries > 1;
            _gateEntries = entries;
            return busy;
        }
    }
}
