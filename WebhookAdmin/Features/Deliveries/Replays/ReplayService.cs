using Microsoft.EntityFrameworkCore;
using WebhookAdmin.Data;
using WebhookAdmin.Features.Accounts;
using WebhookAdmin.Features.Common;
using WebhookAdmin.Features.Deliveries.Outbox;

namespace WebhookAdmin.Features.Deliveries.Replays;

/// <summary>
/// Bulk replays for the API and the pages alike: count, start, follow, cancel. A webhook or replay that is not the
/// caller's (unless they see everything) is "not found".
/// </summary>
public sealed class ReplayService(
    IDbContextFactory<AppDbContext> dbFactory, WriteGate writeGate, AfterCommit afterCommit, ReplaySignal signal, TimeProvider time)
{
    public const string DisabledWebhook = "The webhook is disabled. Enable it first (that also sends its held deliveries again), then replay.";
    public const string AlreadyRunning = "A replay of this webhook is still running: wait for it to finish or cancel it.";

    /// <summary>How many deliveries a replay with these criteria would send again now (the dry run).</summary>
    public async Task<ServiceResult<int>> CountAsync(CurrentUser user, string webhookId, ReplayCriteria criteria, CancellationToken cancellationToken)
    {
        if (await CheckWebhookAsync(user, webhookId, cancellationToken) is { } refused) return Refuse<int>(refused);
        await using var session = await OutboxSession.BeginAsync(writeGate, afterCommit, durable: false, cancellationToken);
        return await CountInAsync(session, webhookId, criteria, await NewestDeliveryAsync(session));
    }

    /// <summary>The one place a replay is created: what it covers is fixed here, and the worker is woken.</summary>
    public async Task<ServiceResult<ReplayStartedResponse>> StartAsync(CurrentUser user, string webhookId, ReplayCriteria criteria, CancellationToken cancellationToken)
    {
        if (await CheckWebhookAsync(user, webhookId, cancellationToken) is { } refused) return Refuse<ReplayStartedResponse>(refused);
        var now = time.GetUtcNow().UtcDateTime;
        var id = $"rpl_{Guid.NewGuid():N}";
        await using var session = await OutboxSession.BeginAsync(writeGate, afterCommit, durable: true, cancellationToken);
        if (Convert.ToInt64(await session.ScalarAsync(ReplaySql.UnfinishedOfWebhook, ("@webhook", webhookId)), System.Globalization.CultureInfo.InvariantCulture) > 0)
            return new ServiceResult<ReplayStartedResponse>.Conflict(AlreadyRunning);
        var upTo = await NewestDeliveryAsync(session);
        var count = await CountInAsync(session, webhookId, criteria, upTo);
        if (count > ReplayCriteria.MaxCount)
            return ServiceResult.Invalid<ReplayStartedResponse>("since",
                $"{count} deliveries match; a replay sends at most {ReplayCriteria.MaxCount}. Narrow the range.");
        await session.RunAsync(ReplaySql.Insert, ("@id", id), ("@webhook", webhookId), ("@by", user.Id), ("@email", user.Email),
            ("@statuses", criteria.StatusNames), ("@type", criteria.EventType), ("@project", criteria.ProjectId),
            ("@since", criteria.Since), ("@until", criteria.Until), ("@upTo", upTo), ("@count", count),
            ("@state", (count == 0 ? ReplayState.Done : ReplayState.Queued).ToName()), ("@now", now), ("@finished", count == 0 ? now : null));
        await session.CommitAsync();
        if (count > 0) signal.Wake();
        return new ReplayStartedResponse(id, count);
    }

    public async Task<ReplayResponse?> GetAsync(CurrentUser user, string id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var replay = await Visible(db, user).AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        return replay is null ? null : await ToResponseAsync(db, replay, cancellationToken);
    }

    public async Task<ServiceResult<Paged<ReplayResponse>>> ListAsync(CurrentUser user, string webhookId, PageRequest page, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await VisibleWebhooks(db, user).AnyAsync(w => w.Id == webhookId, cancellationToken)) return new ServiceResult<Paged<ReplayResponse>>.NotFound();
        var query = Visible(db, user).AsNoTracking().Where(r => r.WebhookId == webhookId);
        var total = await query.CountAsync(cancellationToken);
        var replays = await query.OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id).Skip(page.Skip).Take(page.Take).ToListAsync(cancellationToken);
        var items = new List<ReplayResponse>();
        foreach (var replay in replays) items.Add(await ToResponseAsync(db, replay, cancellationToken));
        return new Paged<ReplayResponse>(items, PageInfo.For(total, page));
    }

    /// <summary>Stops a queued or running replay: nothing more is handed to the outbox (what was handed goes out).</summary>
    public async Task<ServiceResult<ReplayResponse>> CancelAsync(CurrentUser user, string id, CancellationToken cancellationToken)
    {
        if (await GetAsync(user, id, cancellationToken) is not { } replay) return new ServiceResult<ReplayResponse>.NotFound();
        if (replay.State is "done" or "failed") return new ServiceResult<ReplayResponse>.Conflict($"This replay has already finished ({replay.State}).");
        await using (var session = await OutboxSession.BeginAsync(writeGate, afterCommit, durable: true, cancellationToken))
        {
            await session.RunAsync(ReplaySql.Cancel, ("@now", time.GetUtcNow().UtcDateTime), ("@id", id));
            await session.CommitAsync();
        }
        return (await GetAsync(user, id, cancellationToken))!;
    }

    private static async Task<int> CountInAsync(OutboxSession session, string webhookId, ReplayCriteria criteria, long upTo)
    {
        var (matching, values) = ReplaySql.Matching(webhookId, criteria, after: 0, upTo);
        return Convert.ToInt32(await session.ScalarAsync(ReplaySql.Count(matching), values), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<long> NewestDeliveryAsync(OutboxSession session) =>
        Convert.ToInt64(await session.ScalarAsync(ReplaySql.NewestDelivery), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Null when the caller may replay this webhook; else why not.</summary>
    private async Task<string?> CheckWebhookAsync(CurrentUser user, string webhookId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var webhook = await VisibleWebhooks(db, user).Where(w => w.Id == webhookId).Select(w => new { w.Enabled }).FirstOrDefaultAsync(cancellationToken);
        return webhook is null ? "" : webhook.Enabled ? null : DisabledWebhook;
    }

    private static ServiceResult<T> Refuse<T>(string refused) =>
        refused.Length == 0 ? new ServiceResult<T>.NotFound() : new ServiceResult<T>.Conflict(refused);

    private static IQueryable<Webhooks.Webhook> VisibleWebhooks(AppDbContext db, CurrentUser user) =>
        user.SeesEverything ? db.Webhooks : db.Webhooks.Where(w => w.OwnerId == user.Id);

    private static IQueryable<Replay> Visible(AppDbContext db, CurrentUser user) =>
        user.SeesEverything ? db.Replays : db.Replays.Where(r => r.Webhook!.OwnerId == user.Id);

    /// <summary>
    /// Delivered: of the deliveries handed over so far (ids up to how far it came, in its range), those delivered by an
    /// attempt since the replay started.
    /// </summary>
    private static async Task<ReplayResponse> ToResponseAsync(AppDbContext db, Replay r, CancellationToken cancellationToken)
    {
        var delivered = 0;
        if (r.StartedAt is { } started && r.Sent > 0)
        {
            var query = db.Deliveries.Where(d => d.WebhookId == r.WebhookId && d.Id <= r.AfterId && d.CreatedAt >= r.Since
                                                 && d.CreatedAt <= r.Until && d.Status == DeliveryStatus.Delivered && d.LastAttemptAt >= started);
            if (r.EventType is { } type) query = query.Where(d => d.EventType == type);
            if (r.ProjectId is { } project) query = query.Where(d => d.ProjectId == project);
            delivered = await query.CountAsync(cancellationToken);
        }
        return new ReplayResponse(r.Id, r.WebhookId, r.Count, r.Sent, Math.Min(delivered, r.Sent), r.State.ToName(), r.Statuses.Split(','),
            r.Since, r.Until, r.EventType, r.ProjectId, r.RequestedByEmail, r.Error, r.CreatedAt, r.StartedAt, r.FinishedAt);
    }
}
