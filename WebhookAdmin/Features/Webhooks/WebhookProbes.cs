using Microsoft.EntityFrameworkCore;
using WebhookAdmin.Data;
using WebhookAdmin.Features.Accounts;
using WebhookAdmin.Features.Common;
using WebhookAdmin.Features.Deliveries;
using WebhookAdmin.Features.Events;

namespace WebhookAdmin.Features.Webhooks;

/// <summary>The two actions that talk to the receiver while the caller waits: re-enable (health check first) and test.</summary>
public sealed class WebhookProbes(
    IDbContextFactory<AppDbContext> dbFactory,
    WebhookService webhooks,
    ManualDelivery manual)
{
    /// <summary>
    /// Sends the signed <c>WEBHOOK_HEALTH_CHECK</c>. On a 2xx the webhook is enabled and HEALTHY and its
    /// held deliveries are replayed (or skipped); on a failure nothing changes and the answer says why.
    /// </summary>
    public async Task<ServiceResult<EnableWebhookResponse>> EnableAsync(
        CurrentUser user, string id, bool replayHeld, CancellationToken cancellationToken)
    {
        if (await webhooks.FindAsync(user, id, cancellationToken) is null)
            return new ServiceResult<EnableWebhookResponse>.NotFound();

        if (await manual.HealthCheckAsync(id, cancellationToken) is not { } probe)
            return new ServiceResult<EnableWebhookResponse>.NotFound();
        var check = new HealthCheckResult(probe.Result.Succeeded, probe.Result.StatusCode, probe.Result.ErrorText,
            Math.Round(probe.Result.DurationMs, 1), probe.Result.Error);
        var released = check.Ok ? await webhooks.MarkEnabledAsync(id, replayHeld, cancellationToken) : 0;
        var webhook = await webhooks.FindAsync(user, id, cancellationToken);
        return webhook is null
            ? new ServiceResult<EnableWebhookResponse>.NotFound()
            : new EnableWebhookResponse(WebhookResponse.From(webhook), check, released);
    }

    public async Task<ServiceResult<TestWebhookResponse>> TestAsync(
        CurrentUser user, string id, string? eventType, CancellationToken cancellationToken)
    {
        eventType ??= "TODO_CREATED";
        if (!EventCatalog.IsSubscribable(eventType))
            return ServiceResult.Invalid<TestWebhookResponse>("event", $"'{eventType}' is not a known event type; GET /api/v1/event-types lists them.");

        var webhook = await webhooks.FindAsync(user, id, cancellationToken);
        if (webhook is null) return new ServiceResult<TestWebhookResponse>.NotFound();

        var projectId = await SampleProjectAsync(webhook, cancellationToken);
        var (previous, current) = SampleEvents.JsonFor(eventType);
        if (await manual.TestAsync(id, eventType, projectId, previous, current, cancellationToken) is not { } probe)
            return new ServiceResult<TestWebhookResponse>.NotFound();
        var r = probe.Result;
        return new TestWebhookResponse(r.Succeeded, r.StatusCode, Math.Round(r.DurationMs, 1), r.ErrorText, r.ResponseBody, probe.DeliveryId, r.Error);
    }

    /// <summary>A project the test event can claim to come from: one the webhook listens to and its owner belongs to.</summary>
    private async Task<string?> SampleProjectAsync(Webhook webhook, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var memberships = db.Memberships.Where(m => m.UserId == webhook.OwnerId);
        if (webhook.ProjectIds.Count > 0)
            memberships = memberships.Where(m => webhook.ProjectIds.Contains(m.ProjectId));
        return await memberships.OrderBy(m => m.ProjectId).Select(m => m.ProjectId).FirstOrDefaultAsync(cancellationToken);
    }
}
