using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using WebhookAdmin.Data;
using WebhookAdmin.Features.Events;

namespace WebhookAdmin.Features.Webhooks.Filters;

/// <summary>One of the recent events a preview looked at, and whether the webhook would have sent it.</summary>
public sealed record PreviewedEvent(string Id, string Event, string? ProjectId, string? ProjectName, DateTime ReceivedAt, bool WouldSend);

/// <summary>"12 of the last 50 events would have been sent": <paramref name="WouldSend"/> of <paramref name="Looked"/>.</summary>
public sealed record FilterPreviewResult(int WouldSend, int Looked, IReadOnlyList<PreviewedEvent> Events);

/// <summary>
/// What a webhook being edited would have received of the last <see cref="Window"/> published events of its projects
/// (the owner's projects when it lists none), by the same rules as ingestion: type, project, then the filter.
/// </summary>
public sealed class FilterPreview(IDbContextFactory<AppDbContext> dbFactory)
{
    public const int Window = 50;

    public async Task<FilterPreviewResult> PreviewAsync(string ownerId, IReadOnlyCollection<string> projectIds, IReadOnlyCollection<string> events,
        RecordFilter? filter, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // Only projects the owner is a member of: the webhook could not listen to the others, and they are not theirs to see.
        var memberOf = db.Memberships.Where(m => m.UserId == ownerId).Select(m => m.ProjectId);
        var query = db.Events.AsNoTracking().Where(e => e.Origin == EventOrigin.Published && memberOf.Contains(e.ProjectId!));
        if (projectIds.Count > 0) query = query.Where(e => projectIds.Contains(e.ProjectId!));
        var recent = await query.OrderByDescending(e => e.ReceivedAt).ThenByDescending(e => e.Id).Take(Window).ToListAsync(cancellationToken);

        var compiled = CompiledFilter.From(filter);
        var wanted = events.ToHashSet(StringComparer.Ordinal);
        var previewed = recent.Select(e => new PreviewedEvent(e.Id, e.Type, e.ProjectId, e.ProjectName, e.ReceivedAt,
            (wanted.Count == 0 || wanted.Contains(e.Type)) &&
            (compiled is null || compiled.Matches(Parse(e.PreviousValueJson), Parse(e.CurrentValueJson))))).ToList();
        return new FilterPreviewResult(previewed.Count(p => p.WouldSend), previewed.Count, previewed);
    }

    private static JsonElement? Parse(string? json)
    {
        if (json is null) return null;
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
