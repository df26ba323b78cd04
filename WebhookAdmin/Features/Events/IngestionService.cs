using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using WebhookAdmin.Data;
using WebhookAdmin.Features.Deliveries;
using WebhookAdmin.Features.Deliveries.Outbox;
using Microsoft.Extensions.Options;

namespace WebhookAdmin.Features.Events;

/// <summary>The outcome of publishing: per event, its id, its fan-out, and whether it was new.</summary>
public sealed record IngestedEvent(string Id, int Deliveries, bool IsNew);

public abstract record IngestionResult
{
    public sealed record Accepted(IReadOnlyList<IngestedEvent> Events) : IngestionResult;
    public sealed record Invalid(Dictionary<string, string[]> Errors) : IngestionResult;
    public sealed record UnknownProject(string Field, string ProjectId) : IngestionResult;
}

/// <summary>
/// The one place that writes events and their deliveries. An event and one delivery per matching
/// webhook are stored in one transaction before the caller answers, so an accepted event cannot be
/// lost; a repeated id answers the first result and fans out nothing again. The drain is woken after commit.
/// </summary>
public sealed class IngestionService(
    IDbContextFactory<AppDbContext> dbFactory,
    WebhookMatcher matcher,
    OutboxSignal signal,
    WriteGate writeGate,
    TimeProvider time,
    IOptions<DeliveryOptions> options)
{
    public async Task<IngestionResult> PublishAsync(IReadOnlyList<PublishEventRequest> requests, bool batch, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        for (var i = 0; i < requests.Count; i++)
            EventValidation.Validate(requests[i], batch ? $"[{i}]." : "", errors);
        if (errors.Count > 0) return new IngestionResult.Invalid(errors);

        try
        {
            return await WriteAsync(requests, batch, cancellationToken);
        }
        catch (DbUpdateException e) when (e.InnerException is SqliteException { SqliteExtendedErrorCode: 1555 or 2067 })
        {
            // Another request stored one of these ids a moment ago: this run sees it as a repeat.
            return await WriteAsync(requests, batch, cancellationToken);
        }
    }

    private async Task<IngestionResult> WriteAsync(IReadOnlyList<PublishEventRequest> requests, bool batch, CancellationToken cancellationToken)
    {
        // Reads first, outside the write lock; the insert below is one short transaction (SaveChanges').
        // A race on a repeated id ends in the unique index, and PublishAsync then answers the first result.
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var givenIds = requests.Where(r => r.Id is not null).Select(r => r.Id!).Distinct().ToList();
        var earlier = givenIds.Count == 0
            ? []
            : await db.Events.AsNoTracking().Where(e => givenIds.Contains(e.Id))
                .ToDictionaryAsync(e => e.Id, e => e.DeliveryCount, cancellationToken);

        var projectIds = requests.Select(r => r.ProjectId!).Distinct().ToList();
        var projects = await db.Projects.AsNoTracking().Where(p => projectIds.Contains(p.Id))
            .ToDictionaryAsync(p => p.Id, p => p.CompanyId, cancellationToken);

        var now = time.GetUtcNow().UtcDateTime;
        var due = now + options.Value.InitialDelay;
        var results = new List<IngestedEvent>(requests.Count);
        var seen = new Dictionary<string, IngestedEvent>();
        var fannedOut = 0;

        for (var i = 0; i < requests.Count; i++)
        {
            var request = requests[i];
            if (request.Id is { } id && (earlier.TryGetValue(id, out var count) || seen.ContainsKey(id)))
            {
                results.Add(seen.TryGetValue(id, out var first) ? first with { IsNew = false } : new IngestedEvent(id, count, false));
                continue;
            }
            if (!projects.TryGetValue(request.ProjectId!, out var companyId))
                return new IngestionResult.UnknownProject(batch ? $"[{i}].projectId" : "projectId", request.ProjectId!);

            var matches = await matcher.MatchAsync(db, request.Event!, request.ProjectId!, cancellationToken);
            var evt = new EventRecord
            {
                Id = request.Id ?? EventIds.New(),
                Type = request.Event!,
                ProjectId = request.ProjectId,
                CompanyId = companyId,
                ActorId = request.ActorId,
                OccurredAt = request.OccurredAt?.UtcDateTime ?? now,
                ReceivedAt = now,
                PreviousValueJson = RawJson(request.PreviousValue),
                CurrentValueJson = RawJson(request.CurrentValue),
                DeliveryCount = matches.Count,
                Origin = EventOrigin.Published,
            };
            db.Events.Add(evt);
            foreach (var match in matches)
            {
                db.Deliveries.Add(new Delivery
                {
                    WebhookId = match.WebhookId,
                    EventId = evt.Id,
                    EventType = evt.Type,
                    ProjectId = evt.ProjectId,
                    // A disabled webhook still gets its delivery, held until someone re-enables it.
                    Status = match.Enabled ? DeliveryStatus.Pending : DeliveryStatus.Held,
                    NextAttemptAt = due,
                    CreatedAt = now,
                });
            }
            fannedOut += matches.Count;
            var result = new IngestedEvent(evt.Id, matches.Count, true);
            seen[evt.Id] = result;
            results.Add(result);
        }

        using (await writeGate.EnterAsync(cancellationToken))
            await db.SaveChangesAsync(cancellationToken);
        if (fannedOut > 0) signal.Wake();
        return new IngestionResult.Accepted(results);
    }

    /// <summary>
    /// Writes a single-webhook event the app makes itself (test send, health check), its delivery already
    /// claimed by this process so the drain leaves it to the caller who sends it at once.
    /// </summary>
    public async Task<long> WriteDirectedAsync(
        string webhookId, EventRecord evt, string leaseOwner, TimeSpan lease, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var delivery = new Delivery
        {
            WebhookId = webhookId,
            EventId = evt.Id,
            EventType = evt.Type,
            ProjectId = evt.ProjectId,
            Status = DeliveryStatus.Delivering,
            LeaseOwner = leaseOwner,
            LeaseExpiresAt = now + lease,
            CreatedAt = now,
        };
        db.Events.Add(evt);
        db.Deliveries.Add(delivery);
        using (await writeGate.EnterAsync(cancellationToken))
            await db.SaveChangesAsync(cancellationToken);
        return delivery.Id;
    }

    private static string? RawJson(JsonElement? value) =>
        value is { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined } element ? element.GetRawText() : null;
}
