using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using WebhookAdmin.Data;
using WebhookAdmin.Features.Deliveries;
using WebhookAdmin.Features.Deliveries.Outbox;
using Microsoft.Extensions.Options;
using WebhookAdmin.Features.Deliveries.Sending;
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
/// The one place that writes events and their deliveries. An event and one delivery per matching
/// webhook are stored in one transaction before the caller answers, so an accepted event cannot be
/// lost; a repeated id answers the first result and fans out nothing again. The drain is woken after commit.
/// </summary>
public sealed class IngestionService(
    IDbContextFactory<AppDbContext> dbFactory,
    SubscriptionIndex subscriptions,
    RecentEvents recentEvents,
    OutboxSignal signal,
    NextDueTimer dueTimer,
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

        // Optimistic first: ids are almost always new, so the check for repeats is left to the primary key.
        try
        {
            return await WriteAsync(requests, batch, checkEarlier: false, cancellationToken);
        }
        catch (SqliteException e) when (e.SqliteExtendedErrorCode is 1555 or 2067)
        {
            // An id was accepted before (a publisher's retry): look the repeats up and answer their first result.
            return await WriteAsync(requests, batch, checkEarlier: true, cancellationToken);
        }
        catch (SqliteException e) when (e.SqliteExtendedErrorCode == 787)
        {
            // A webhook vanished (its owner was deleted) after the index was read: reload and match again.
            subscriptions.Invalidate();
            return await WriteAsync(requests, batch, checkEarlier: true, cancellationToken);
        }
    }

    private async Task<IngestionResult> WriteAsync(
        IReadOnlyList<PublishEventRequest> requests, bool batch, bool checkEarlier, CancellationToken cancellationToken)
    {
        var earlier = checkEarlier ? await EarlierAsync(requests, cancellationToken) : [];
        var index = await subscriptions.CurrentAsync(cancellationToken);

        var now = time.GetUtcNow().UtcDateTime;
        var due = now + options.Value.InitialDelay;
        var results = new List<IngestedEvent>(requests.Count);
        var seen = new Dictionary<string, IngestedEvent>();
        var toWrite = new List<(EventRecord Event, List<WebhookEntry> Matches)>(requests.Count);

        for (var i = 0; i < requests.Count; i++)
        {
            var request = requests[i];
            if (request.Id is { } id && (earlier.TryGetValue(id, out var count) || seen.ContainsKey(id)))
            {
                results.Add(seen.TryGetValue(id, out var first) ? first with { IsNew = false } : new IngestedEvent(id, count, false));
                continue;
            }
            if (!index.Projects.TryGetValue(request.ProjectId!, out var project))
                return new IngestionResult.UnknownProject(batch ? $"[{i}].projectId" : "projectId", request.ProjectId!);

            var matches = index.Match(request.Event!, project.Id).ToList();
            var evt = new EventRecord
            {
                Id = request.Id ?? EventIds.New(),
                Type = request.Event!,
                ProjectId = project.Id,
                CompanyId = project.CompanyId,
                ActorId = request.ActorId,
                OccurredAt = request.OccurredAt?.UtcDateTime ?? now,
                ReceivedAt = now,
                PreviousValueJson = RawJson(request.PreviousValue),
                CurrentValueJson = RawJson(request.CurrentValue),
                DeliveryCount = matches.Count,
                Origin = EventOrigin.Published,
            };
            toWrite.Add((evt, matches));
            var result = new IngestedEvent(evt.Id, matches.Count, true);
            seen[evt.Id] = result;
            results.Add(result);
        }

        var fannedOut = 0;
        using (var gate = await writeGate.EnterAsync(cancellationToken))
        {
            await using var transaction = gate.Connection.BeginTransaction();
            var writer = new OutboxWriter(gate, transaction);
            foreach (var (evt, matches) in toWrite)
            {
                await writer.InsertEventAsync(evt, cancellationToken);
                // A disabled webhook still gets its delivery, held until someone re-enables it.
                foreach (var match in matches)
                    await writer.InsertDeliveryAsync(match.Id, evt, match.Enabled ? DeliveryStatus.Pending : DeliveryStatus.Held, due, cancellationToken);
                fannedOut += matches.Count;
            }
            await transaction.CommitAsync(cancellationToken);
        }

        foreach (var (evt, _) in toWrite)
        {
            var project = index.Projects[evt.ProjectId!];
            recentEvents.Add(new EventSnapshot(evt.Id, evt.Type, evt.OccurredAt, project.CompanyId, project.CompanyName,
                project.Id, project.Name, evt.ActorId, evt.PreviousValueJson, evt.CurrentValueJson));
        }
        if (fannedOut > 0)
        {
            if (due > now) dueTimer.WakeAt(due);
            else signal.Wake();
        }
        return new IngestionResult.Accepted(results);
    }

    /// <summary>Ids among the request that were accepted before, with their first fan-out.</summary>
    private async Task<Dictionary<string, int>> EarlierAsync(IReadOnlyList<PublishEventRequest> requests, CancellationToken cancellationToken)
    {
        var ids = requests.Where(r => r.Id is not null).Select(r => r.Id!).Distinct().ToList();
        var earlier = new Dictionary<string, int>(StringComparer.Ordinal);
        if (ids.Count == 0) return earlier;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """SELECT "Id", "DeliveryCount" FROM "Events" WHERE "Id" IN (SELECT "value" FROM json_each(@ids))""";
        command.Parameters.AddWithValue("@ids", JsonSerializer.Serialize(ids));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            earlier[reader.GetString(0)] = reader.GetInt32(1);
        return earlier;
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
