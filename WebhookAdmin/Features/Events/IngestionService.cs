using System.Diagnostics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WebhookAdmin.Data;
using WebhookAdmin.Features.Deliveries;
using WebhookAdmin.Features.Deliveries.Outbox;
using WebhookAdmin.Features.Deliveries.Sending;
using WebhookAdmin.Features.Deliveries.Tracing;
using WebhookAdmin.Features.Webhooks.Subscriptions;

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
/// Publishing: validate, plan (repeats, matching), then hand the plan to the outbox, which stores each event
/// and one delivery per matching webhook in one transaction before the caller answers, so an accepted event
/// cannot be lost. A repeated id answers the first result and fans out nothing again.
/// </summary>
public sealed class IngestionService(
    IDbContextFactory<AppDbContext> dbFactory,
    DatabaseEngine engine,
    SubscriptionIndex subscriptions,
    OutboxAppender outbox,
    TimeProvider time,
    IOptions<DeliveryOptions> options)
{
    /// <summary>A plan is redone when the outbox finds it out of date: a repeated id or a vanished webhook, rarely twice.</summary>
    private const int MaxRounds = 3;

    /// <summary>What to store; <paramref name="Traces"/> holds the events' activities while tracing is on.</summary>
    private sealed record Plan(List<OutboxEntry> Entries, List<IngestedEvent> Results, DateTime Due, List<Activity>? Traces);

    public async Task<IngestionResult> PublishAsync(IReadOnlyList<PublishEventRequest> requests, bool batch, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        for (var i = 0; i < requests.Count; i++)
            EventValidation.Validate(requests[i], batch ? $"[{i}]." : "", errors);
        if (errors.Count > 0) return new IngestionResult.Invalid(errors);

        using var trace = EventTrace.StartIngestion(requests.Count);
        // Optimistic first: ids are almost always new, so the check for repeats is left to the primary key.
        var checkEarlier = false;
        for (var round = 1; ; round++)
        {
            var (plan, refused) = await PlanAsync(requests, batch, checkEarlier, cancellationToken);
            if (plan is null) return refused!;
            if (plan.Entries.Count == 0) return Accepted(trace, plan);

            var outcome = await outbox.AppendAsync(plan.Entries, plan.Due);
            EventTrace.EndEvents(plan.Traces, stored: outcome == AppendOutcome.Stored);
            if (outcome == AppendOutcome.Stored) return Accepted(trace, plan);
            if (round == MaxRounds) throw new InvalidOperationException($"Ingestion could not be stored after {round} tries: {outcome}.");
            // A repeat of an earlier (or concurrent) publish: look the repeats up and answer their first result.
            checkEarlier = true;
            // A webhook vanished (its owner was deleted) after the index was read: reload and match again.
            if (outcome == AppendOutcome.WebhookGone) subscriptions.Invalidate();
        }
    }

    /// <summary>
    /// A health event about one webhook (contract, section 6), stored with its deliveries like a published one, so it
    /// is signed, retried and held like every delivery. It has no project; its matching is the index's
    /// <see cref="SubscriptionIndex.Snapshot.MatchHealth"/>. Answers how many deliveries it fanned out to.
    /// </summary>
    public async Task<int> PublishHealthAsync(HealthEventRequest request, CancellationToken cancellationToken)
    {
        if (!EventCatalog.IsHealth(request.Event))
            throw new ArgumentException($"{request.Event} is not a health event.", nameof(request));
        for (var round = 1; ; round++)
        {
            var index = await subscriptions.CurrentAsync(cancellationToken);
            var matches = index.MatchHealth(request.Event, request.WebhookId, request.OwnerId).ToList();
            if (matches.Count == 0) return 0;
            var now = time.GetUtcNow().UtcDateTime;
            var outcome = await outbox.AppendAsync([HealthEntry(request, matches, now)], now + options.Value.InitialDelay);
            if (outcome == AppendOutcome.Stored) return matches.Count;
            if (round == MaxRounds) throw new InvalidOperationException($"A health event could not be stored after {round} tries: {outcome}.");
            // Its ids are new every round, so only a vanished subscriber can get here: reload and match again.
            subscriptions.Invalidate();
        }
    }

    private static OutboxEntry HealthEntry(HealthEventRequest request, List<WebhookEntry> matches, DateTime now)
    {
        var evt = new EventRecord
        {
            Id = EventIds.New(),
            Type = request.Event,
            OccurredAt = request.OccurredAt,
            ReceivedAt = now,
            SubjectJson = request.SubjectJson,
            DeliveryCount = matches.Count,
            Origin = EventOrigin.Health,
        };
        var snapshot = new EventSnapshot(evt.Id, evt.Type, evt.OccurredAt, null, null, null, null, null, null, null, evt.ReceivedAt,
            SubjectJson: evt.SubjectJson);
        return new OutboxEntry(evt, snapshot, matches.Select(m => new OutboxTarget(m.Id, Held: !m.Enabled)).ToList());
    }

    private static IngestionResult.Accepted Accepted(Activity? trace, Plan plan)
    {
        EventTrace.Ingested(trace, plan.Results.Count == 1 ? plan.Results[0].Id : null, plan.Entries.Count);
        return new IngestionResult.Accepted(plan.Results);
    }

    /// <summary>A <see cref="Plan"/>, or why the request is refused (an unknown project).</summary>
    private async Task<(Plan? Plan, IngestionResult? Refused)> PlanAsync(
        IReadOnlyList<PublishEventRequest> requests, bool batch, bool checkEarlier, CancellationToken cancellationToken)
    {
        var earlier = checkEarlier ? await EarlierAsync(requests, cancellationToken) : [];
        var index = await subscriptions.CurrentAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var plan = new Plan(new List<OutboxEntry>(requests.Count), new List<IngestedEvent>(requests.Count), now + options.Value.InitialDelay,
            EventTrace.Source.HasListeners() ? [] : null);
        var seen = new Dictionary<string, IngestedEvent>(StringComparer.Ordinal);

        for (var i = 0; i < requests.Count; i++)
        {
            var request = requests[i];
            if (request.Id is { } id && (earlier.TryGetValue(id, out var count) || seen.ContainsKey(id)))
            {
                plan.Results.Add(seen.TryGetValue(id, out var first) ? first with { IsNew = false } : new IngestedEvent(id, count, false));
                continue;
            }
            if (!index.Projects.TryGetValue(request.ProjectId!, out var project))
                return (null, new IngestionResult.UnknownProject(batch ? $"[{i}].projectId" : "projectId", request.ProjectId!));

            var entry = Entry(request, project, index.Match(request.Event!, project.Id, request.PreviousValue, request.CurrentValue).ToList(), now, plan.Traces);
            plan.Entries.Add(entry);
            var result = new IngestedEvent(entry.Event.Id, entry.Targets.Count, true);
            seen[result.Id] = result;
            plan.Results.Add(result);
        }
        return (plan, null);
    }

    private static OutboxEntry Entry(PublishEventRequest request, ProjectEntry project, List<WebhookEntry> matches, DateTime now, List<Activity>? traces)
    {
        var id = request.Id ?? EventIds.New();
        // Started before the write, so its context is stored with the event; ended once the commit is known.
        var activity = traces is null ? null : EventTrace.StartEvent(id, request.Event!, project.Id);
        if (activity is not null) traces?.Add(activity);
        var evt = new EventRecord
        {
            Id = id,
            Type = request.Event!,
            ProjectId = project.Id,
            CompanyId = project.CompanyId,
            ProjectName = project.Name,
            CompanyName = project.CompanyName,
            ActorId = request.ActorId,
            OccurredAt = request.OccurredAt?.UtcDateTime ?? now,
            ReceivedAt = now,
            PreviousValueJson = RawJson(request.PreviousValue),
            CurrentValueJson = RawJson(request.CurrentValue),
            DeliveryCount = matches.Count,
            Origin = EventOrigin.Published,
            TraceParent = EventTrace.TraceParentOf(activity),
        };
        var snapshot = new EventSnapshot(evt.Id, evt.Type, evt.OccurredAt, evt.CompanyId, evt.CompanyName,
            evt.ProjectId, evt.ProjectName, evt.ActorId, evt.PreviousValueJson, evt.CurrentValueJson, evt.ReceivedAt, evt.TraceParent);
        // A disabled webhook still gets its delivery, held until someone re-enables it.
        return new OutboxEntry(evt, snapshot, matches.Select(m => new OutboxTarget(m.Id, Held: !m.Enabled)).ToList());
    }

    /// <summary>Ids among the request that were accepted before, with their first fan-out.</summary>
    private async Task<Dictionary<string, int>> EarlierAsync(IReadOnlyList<PublishEventRequest> requests, CancellationToken cancellationToken)
    {
        var ids = requests.Where(r => r.Id is not null).Select(r => r.Id).Distinct().ToList();
        var earlier = new Dictionary<string, int>(StringComparer.Ordinal);
        if (ids.Count == 0) return earlier;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(cancellationToken);
        await using var command = PreparedSql.Create(connection, null,
            engine.Translate("""SELECT "Id", "DeliveryCount" FROM "Events" WHERE "Id" IN (SELECT "value" FROM json_each(@ids))"""), "@ids");
        command.Parameters[0].Value = engine.List(ids);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            earlier[reader.GetString(0)] = reader.GetInt32(1);
        return earlier;
    }

    private static string? RawJson(JsonElement? value) =>
        value is { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined } element ? element.GetRawText() : null;
}
