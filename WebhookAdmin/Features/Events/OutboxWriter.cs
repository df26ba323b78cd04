using System.Data.Common;
using Microsoft.Data.Sqlite;
using WebhookAdmin.Data;
using WebhookAdmin.Features.Deliveries;

namespace WebhookAdmin.Features.Events;

/// <summary>
/// The insert half of ingestion: events and their deliveries as statements prepared once on the write
/// gate's connection, in the caller's transaction. Plain SQL because this runs for every event at full rate, where EF's change tracking
/// cost more than the database (see ADR-009).
/// </summary>
public sealed class OutboxWriter(WriteGate.WriteLease gate, SqliteTransaction transaction)
{
    private const string InsertEvent = """
        INSERT INTO "Events" ("Id", "Type", "ProjectId", "CompanyId", "ActorId", "OccurredAt", "ReceivedAt",
            "PreviousValueJson", "CurrentValueJson", "DeliveryCount", "Origin")
        VALUES (@id, @type, @project, @company, @actor, @occurred, @received, @previous, @current, @count, @origin)
        """;
    private const string InsertDelivery = """
        INSERT INTO "Deliveries" ("WebhookId", "EventId", "EventType", "ProjectId", "Status", "Attempts",
            "ScheduledAttempts", "NextAttemptAt", "CreatedAt")
        VALUES (@webhook, @event, @type, @project, @status, 0, 0, @due, @created)
        """;

    private readonly DbCommand _insertEvent = gate.Command(InsertEvent, transaction,
        "@id", "@type", "@project", "@company", "@actor", "@occurred", "@received", "@previous", "@current", "@count", "@origin");
    private readonly DbCommand _insertDelivery = gate.Command(InsertDelivery, transaction,
        "@webhook", "@event", "@type", "@project", "@status", "@due", "@created");

    public Task InsertEventAsync(EventRecord e, CancellationToken cancellationToken) => _insertEvent.RunAsync(cancellationToken,
        e.Id, e.Type, e.ProjectId, e.CompanyId, e.ActorId, e.OccurredAt, e.ReceivedAt, e.PreviousValueJson, e.CurrentValueJson,
        e.DeliveryCount, e.Origin.ToString());

    public Task InsertDeliveryAsync(string webhookId, EventRecord e, DeliveryStatus status, DateTime due, CancellationToken cancellationToken) =>
        _insertDelivery.RunAsync(cancellationToken, webhookId, e.Id, e.Type, e.ProjectId, status.ToName(), due, e.ReceivedAt);
}
