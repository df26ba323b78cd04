using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using WebhookAdmin.Data;
using WebhookAdmin.Features.Accounts;
using WebhookAdmin.Features.Common;
using WebhookAdmin.Features.Deliveries.Outbox;
using WebhookAdmin.Features.Deliveries.Reasons;
using WebhookAdmin.Features.Webhooks.Filters;

namespace WebhookAdmin.Features.Webhooks;

/// <summary>
/// Filters of the webhook list (API and admin grid). <paramref name="Failing"/>: true = its receiver has been
/// failing (consecutive failures, or UNHEALTHY), false = neither; the admin list's "Failing"/"Healthy" filter.
/// </summary>
public sealed record WebhookFilter(bool? Enabled = null, string? Search = null, WebhookStatus? Status = null, bool? Failing = null);

/// <summary>
/// Everything one can do to webhooks, for the API and the admin pages alike. Every method takes the
/// caller: a webhook that is not theirs (unless they see everything) is "not found".
/// </summary>
public sealed class WebhookService(
    IDbContextFactory<AppDbContext> dbFactory,
    WebhookRules rules,
    WebhookSecrets secrets,
    WebhookSwitch sending,
    TimeProvider time)
{
    public static readonly TimeSpan DefaultOverlap = TimeSpan.FromHours(24);
    public static readonly TimeSpan MaxOverlap = TimeSpan.FromDays(30);

    public static IQueryable<Webhook> Visible(AppDbContext db, CurrentUser user) =>
        user.SeesEverything ? db.Webhooks : db.Webhooks.Where(w => w.OwnerId == user.Id);

    public async Task<Paged<WebhookResponse>> ListAsync(CurrentUser user, WebhookFilter filter, PageRequest page, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = Visible(db, user).AsNoTracking();
        if (filter.Enabled is { } enabled) query = query.Where(w => w.Enabled == enabled);
        if (filter.Status is { } status) query = query.Where(w => w.Status == status);
        if (filter.Failing is { } failing)
            query = failing
                ? query.Where(w => w.ConsecutiveFailures > 0 || w.Status == WebhookStatus.Unhealthy)
                : query.Where(w => w.ConsecutiveFailures == 0 && w.Status == WebhookStatus.Healthy);
        if (!string.IsNullOrWhiteSpace(filter.Search))
        {
            var term = filter.Search.Trim();
            var pattern = LikePattern.Containing(term);
            query = query.Where(w => EF.Functions.Like(w.Name!, pattern, LikePattern.Escape)
                                     || EF.Functions.Like(w.Url, pattern, LikePattern.Escape) || w.Uid == term);
        }
        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderByDescending(w => w.CreatedAt).ThenByDescending(w => w.Id)
            .Skip(page.Skip).Take(page.Take).ToListAsync(cancellationToken);
        return new Paged<WebhookResponse>(items.Select(WebhookResponse.From).ToList(), PageInfo.For(total, page));
    }

    public async Task<Webhook?> FindAsync(CurrentUser user, string id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await Visible(db, user).AsNoTracking().FirstOrDefaultAsync(w => w.Id == id, cancellationToken);
    }

    public async Task<ServiceResult<(WebhookResponse Webhook, string Secret)>> CreateAsync(
        CurrentUser user, CreateWebhookRequest request, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        await rules.CheckUrlAsync(request.Url, errors, cancellationToken);
        WebhookRules.CheckName(request.Name, errors);
        var events = WebhookRules.CheckEvents(request.Events, errors);
        var projectIds = WebhookRules.CheckProjectIds(request.ProjectIds, errors);
        var filter = RecordFilterRules.Read(request.Filter, errors);
        if (errors.Count > 0) return new ServiceResult<(WebhookResponse, string)>.Invalid(errors);

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await WebhookRules.CheckMembershipAsync(db, user.Id, projectIds, cancellationToken) is { } refused)
            return new ServiceResult<(WebhookResponse, string)>.Forbidden(refused.Field, refused.Message);

        var now = Now;
        var secret = WebhookSecrets.NewSecret();
        var webhook = new Webhook
        {
            Id = Guid.CreateVersion7().ToString("N"),
            Uid = "wh_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)),
            OwnerId = user.Id,
            Name = string.IsNullOrWhiteSpace(request.Name) ? null : request.Name.Trim(),
            Url = request.Url!.Trim(),
            Events = events,
            ProjectIds = projectIds,
            FilterJson = RecordFilterRules.ToJson(filter),
            ProtectedSecret = secrets.Protect(secret),
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Webhooks.Add(webhook);
        db.WebhookRevisions.Add(webhook.CurrentRevision(now));
        await db.SaveChangesAsync(cancellationToken);
        return (WebhookResponse.From(webhook), secret);
    }

    public async Task<ServiceResult<WebhookResponse>> UpdateAsync(
        CurrentUser user, string id, UpdateWebhookRequest request, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Url is not null) await rules.CheckUrlAsync(request.Url, errors, cancellationToken);
        WebhookRules.CheckName(request.Name, errors);
        var events = WebhookRules.CheckEvents(request.Events, errors);
        var projectIds = WebhookRules.CheckProjectIds(request.ProjectIds, errors);
        var filter = RecordFilterRules.Read(request.Filter, errors);
        if (errors.Count > 0) return new ServiceResult<WebhookResponse>.Invalid(errors);

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var webhook = await Visible(db, user).FirstOrDefaultAsync(w => w.Id == id, cancellationToken);
        if (webhook is null) return new ServiceResult<WebhookResponse>.NotFound();
        if (request.ProjectIds is not null &&
            await WebhookRules.CheckMembershipAsync(db, webhook.OwnerId, projectIds, cancellationToken) is { } refused)
            return new ServiceResult<WebhookResponse>.Forbidden(refused.Field, refused.Message);

        var seenByReceivers = (webhook.Url, string.Join('\n', webhook.Events), string.Join('\n', webhook.ProjectIds));
        if (request.Name is not null) webhook.Name = string.IsNullOrWhiteSpace(request.Name) ? null : request.Name.Trim();
        if (request.Url is not null) webhook.Url = request.Url.Trim();
        if (request.Events is not null) webhook.Events = events;
        if (request.ProjectIds is not null) webhook.ProjectIds = projectIds;
        if (request.Filter.ValueKind != System.Text.Json.JsonValueKind.Undefined) webhook.FilterJson = RecordFilterRules.ToJson(filter);
        var now = Now;
        webhook.UpdatedAt = now;
        // The payload shows the url, events and projects: a change to them is a new revision (the name is not sent).
        if (seenByReceivers != (webhook.Url, string.Join('\n', webhook.Events), string.Join('\n', webhook.ProjectIds)))
        {
            webhook.Revision++;
            db.WebhookRevisions.Add(webhook.CurrentRevision(now));
        }
        await db.SaveChangesAsync(cancellationToken);
        return WebhookResponse.From(webhook);
    }

    /// <summary>Stops deliveries: the webhook becomes disabled and UNHEALTHY, its pending deliveries held.</summary>
    public async Task<ServiceResult<WebhookResponse>> DisableAsync(CurrentUser user, string id, CancellationToken cancellationToken)
    {
        if (await FindAsync(user, id, cancellationToken) is null) return new ServiceResult<WebhookResponse>.NotFound();
        var now = Now;
        // Already disabled: nothing changes, and the answer shows it as it is.
        await sending.DisableAsync(id, Because.DisabledBy(user.Email, now), user.Id, cancellationToken);
        return await FindAsync(user, id, cancellationToken) is { } webhook
            ? WebhookResponse.From(webhook)
            : new ServiceResult<WebhookResponse>.NotFound();
    }

    /// <summary>
    /// After a passed health check: enabled and HEALTHY again, and what waited for it goes back to the
    /// outbox with a fresh retry budget (or is skipped when the caller does not want it replayed).
    /// </summary>
    public async Task<int> MarkEnabledAsync(string id, bool replayHeld, CancellationToken cancellationToken) =>
        await sending.EnableAsync(id, replayHeld, cancellationToken) ?? 0;

    public async Task<ServiceResult<RotateSecretResponse>> RotateSecretAsync(
        CurrentUser user, string id, string? overlapText, CancellationToken cancellationToken)
    {
        var overlap = DefaultOverlap;
        if (overlapText is not null && (!DurationParser.TryParse(overlapText, out overlap) || overlap < TimeSpan.Zero || overlap > MaxOverlap))
            return ServiceResult.Invalid<RotateSecretResponse>("overlap",
                "The overlap is a duration such as \"24:00:00\" (hours:minutes:seconds), between 00:00:00 and 30 days.");

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var webhook = await Visible(db, user).FirstOrDefaultAsync(w => w.Id == id, cancellationToken);
        if (webhook is null) return new ServiceResult<RotateSecretResponse>.NotFound();

        var now = Now;
        var secret = WebhookSecrets.NewSecret();
        webhook.ProtectedPreviousSecret = overlap > TimeSpan.Zero ? webhook.ProtectedSecret : null;
        webhook.PreviousSecretExpiresAt = overlap > TimeSpan.Zero ? now + overlap : null;
        webhook.ProtectedSecret = secrets.Protect(secret);
        webhook.UpdatedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        return new RotateSecretResponse(secret, webhook.PreviousSecretExpiresAt);
    }

    /// <summary>Soft delete: the log keeps its history; undelivered deliveries become skipped.</summary>
    public async Task<bool> DeleteAsync(CurrentUser user, string id, CancellationToken cancellationToken) =>
        await FindAsync(user, id, cancellationToken) is not null && await sending.DeleteAsync(id, cancellationToken);

    private DateTime Now => time.GetUtcNow().UtcDateTime;
}
