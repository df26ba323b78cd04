using Microsoft.EntityFrameworkCore;
using WebhookAdmin.Data;
using WebhookAdmin.Features.Deliveries.Destinations;
using WebhookAdmin.Features.Events;

namespace WebhookAdmin.Features.Webhooks;

/// <summary>
/// Validation shared by create and update: the URL (SSRF guard), the name, the event types and the
/// projects (the owner must be a member of each). Errors name the field, list entries by index.
/// </summary>
public sealed class WebhookRules(DestinationGuard guard)
{
    public const int MaxProjects = 500;

    public async Task CheckUrlAsync(string? url, Dictionary<string, string[]> errors, CancellationToken cancellationToken)
    {
        if (await guard.CheckUrlAsync(url, cancellationToken) is { } problem)
            errors["url"] = [problem];
    }

    public static void CheckName(string? name, Dictionary<string, string[]> errors)
    {
        if (name is { Length: > Limits.Name })
            errors["name"] = [$"The name must be at most {Limits.Name} characters; this one has {name.Length}."];
    }

    public static List<string> CheckEvents(string[]? events, Dictionary<string, string[]> errors)
    {
        if (events is null) return [];
        for (var i = 0; i < events.Length; i++)
        {
            var name = events[i];
            if (string.IsNullOrWhiteSpace(name))
                errors[$"events[{i}]"] = ["An event type must not be empty."];
            else if (name == EventCatalog.HealthCheck)
                errors[$"events[{i}]"] = ["WEBHOOK_HEALTH_CHECK is always sent on re-enable and cannot be subscribed to."];
            else if (!EventCatalog.IsSubscribable(name))
                errors[$"events[{i}]"] = [$"'{Shorten(name)}' is not a known event type; GET /api/v1/event-types lists them."];
        }
        return events.Where(EventCatalog.IsSubscribable).Distinct().ToList();
    }

    public static List<string> CheckProjectIds(string[]? projectIds, Dictionary<string, string[]> errors)
    {
        if (projectIds is null) return [];
        if (projectIds.Length > MaxProjects)
            errors["projectIds"] = [$"A webhook can list at most {MaxProjects} projects; leave the list empty for all of yours."];
        for (var i = 0; i < projectIds.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(projectIds[i]))
                errors[$"projectIds[{i}]"] = ["A project id must not be empty."];
            else if (projectIds[i].Length > Limits.ExternalId)
                errors[$"projectIds[{i}]"] = [$"A project id has at most {Limits.ExternalId} characters."];
        }
        return projectIds.Where(p => !string.IsNullOrWhiteSpace(p)).Distinct().ToList();
    }

    /// <summary>The first listed project the owner is not a member of, as (field, message), or null.</summary>
    public static async Task<(string Field, string Message)?> CheckMembershipAsync(
        AppDbContext db, string ownerId, IReadOnlyList<string> projectIds, CancellationToken cancellationToken)
    {
        if (projectIds.Count == 0) return null;
        var memberOf = await db.Memberships
            .Where(m => m.UserId == ownerId && projectIds.Contains(m.ProjectId))
            .Select(m => m.ProjectId)
            .ToListAsync(cancellationToken);
        for (var i = 0; i < projectIds.Count; i++)
            if (!memberOf.Contains(projectIds[i]))
                return ($"projectIds[{i}]", $"You are not a member of project '{Shorten(projectIds[i])}' (or it does not exist), so a webhook cannot listen to it.");
        return null;
    }

    private static string Shorten(string value) => value.Length <= 60 ? value : value[..60] + "…";
}
