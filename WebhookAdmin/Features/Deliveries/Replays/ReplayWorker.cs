using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WebhookAdmin.Data;
using WebhookAdmin.Features.Deliveries.Outbox;

namespace WebhookAdmin.Features.Deliveries.Replays;

/// <summary>
/// Works the replays this instance can claim: each run hands each of them to the outbox a batch at a time, never more
/// than its webhook's room (<c>Delivery:MaxConcurrencyPerWebhook</c> less what already waits for it or is in flight,
/// counted in the database, so across instances). A replay of 10,000 thus never floods the receiver, and a fresh event
/// waits behind at most one batch. The outbox then sends them as it sends everything, with its retries and limits.
/// </summary>
public sealed class ReplayWorker(
    WriteGate writeGate,
    AfterCommit afterCommit,
    IDbContextFactory<AppDbContext> dbFactory,
    OutboxInstance instance,
    ReplaySignal signal,
    TimeProvider time,
    IOptions<DeliveryOptions> options)
{
    /// <summary>A replay whose instance died is taken over by another once this has passed.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    public const string DisabledError = "The webhook was disabled while its deliveries were being sent again. Enable it, then replay what is left.";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var working = false;
        foreach (var id in await ClaimAsync(cancellationToken))
            working |= await BatchAsync(id, cancellationToken);
        signal.Working = working;
    }

    private async Task<List<string>> ClaimAsync(CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        var now = Now;
        await using var session = await BeginAsync(cancellationToken);
        await using (var reader = await session.ReadAsync(ReplaySql.Claim, cancellationToken,
                         ("@now", now), ("@owner", instance.Id), ("@until", now + Lease)))
        {
            while (await reader.ReadAsync(cancellationToken)) ids.Add(reader.GetString(0));
        }
        await session.CommitAsync();
        return ids;
    }

    /// <summary>One batch of one replay, in one transaction; true when it has more to send.</summary>
    private async Task<bool> BatchAsync(string id, CancellationToken cancellationToken)
    {
        ReplayCriteria criteria;
        string webhookId;
        long upTo;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            if (await db.Replays.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, cancellationToken) is not { } replay) return false;
            (criteria, webhookId, upTo) = (ReplayCriteria.Of(replay), replay.WebhookId, replay.UpToId);
        }

        var now = Now;
        await using var session = await BeginAsync(cancellationToken);
        if (await session.ScalarAsync(ReplaySql.Renew, ("@until", now + Lease), ("@id", id), ("@owner", instance.Id)) is not { } afterValue)
            return false;
        if (!Convert.ToBoolean(await session.ScalarAsync(ReplaySql.WebhookEnabled, ("@webhook", webhookId)) ?? false, System.Globalization.CultureInfo.InvariantCulture))
        {
            await FinishAsync(session, id, ReplayState.Failed, DisabledError, now);
            return false;
        }
        var room = options.Value.MaxConcurrencyPerWebhook - Convert.ToInt32(await session.ScalarAsync(ReplaySql.Outstanding, ("@webhook", webhookId)), System.Globalization.CultureInfo.InvariantCulture);
        if (room <= 0)
        {
            await session.CommitAsync();
            return true;
        }

        var handed = await RequeueAsync(session, webhookId, criteria, Convert.ToInt64(afterValue, System.Globalization.CultureInfo.InvariantCulture), upTo, room, now, cancellationToken);
        if (handed.Count > 0)
        {
            await session.RunAsync(ReplaySql.Progress, ("@sent", handed.Count), ("@after", handed[^1]), ("@id", id), ("@owner", instance.Id));
            session.Changes.Due(now, now);
        }
        if (handed.Count < room)
        {
            await FinishAsync(session, id, ReplayState.Done, null, now);
            return false;
        }
        await session.CommitAsync();
        return true;
    }

    /// <summary>The next <paramref name="take"/> matching deliveries back to pending; answers their ids in order.</summary>
    private static async Task<List<long>> RequeueAsync(OutboxSession session, string webhookId, ReplayCriteria criteria, long after, long upTo,
        int take, DateTime now, CancellationToken cancellationToken)
    {
        var (matching, values) = ReplaySql.Matching(webhookId, criteria, after, upTo);
        var ids = new List<long>();
        await using (var reader = await session.ReadAsync(OutboxSql.Requeue(matching), cancellationToken, [("@now", now), .. values, ("@take", take)]))
        {
            while (await reader.ReadAsync(cancellationToken)) ids.Add(reader.GetInt64(0));
        }
        ids.Sort();
        return ids;
    }

    private async Task FinishAsync(OutboxSession session, string id, ReplayState state, string? error, DateTime now)
    {
        await session.RunAsync(ReplaySql.Finish, ("@state", state.ToName()), ("@error", error), ("@now", now), ("@id", id), ("@owner", instance.Id));
        await session.CommitAsync();
    }

    private Task<OutboxSession> BeginAsync(CancellationToken cancellationToken) =>
        OutboxSession.BeginAsync(writeGate, afterCommit, durable: false, cancellationToken);

    private DateTime Now => time.GetUtcNow().UtcDateTime;
}
