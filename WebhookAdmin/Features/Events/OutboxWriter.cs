using System.Data.Common;
using WebhookAdmin.Features.Deliveries;

namespace WebhookAdmin.Features.Events;

/// <summary>
/// The insert half of ingestion: events and their deliveries as prepared statements in the caller's
/// transaction. Plain SQL because this runs for every event at full rate, where EF's change tracking
/// cost more than the database (see ADR-009).
/// </summary>
public sealed class OutboxWriter : IAsyncDisposable
{
    private readonly DbCommand _insertEvent;
    private readonly DbCommand _insertDelivery;

    public OutboxWriter(DbConnection connection, DbTransaction transaction)
    {
        _insertEvent = Prepare(connection, transaction, """
            INSERT INTO "Events" ("Id", "Type", "ProjectId", "CompanyId", "ActorId", "OccurredAt", "ReceivedAt",
                "PreviousValueJson", "CurrentValueJson", "DeliveryCount", "Origin")
            VALUES (@id, @type, @project, @company, @actor, @occurred, @received, @previous, @current, @count, @origin)
            """, "@id", "@type", "@project", "@company", "@actor", "@occurred", "@received", "@previous", "@current", "@count", "@origin");
        _insertDelivery = Prepare(connection, transaction, """
            INSERT INTO "Deliveries" ("WebhookId", "EventId", "EventType", "ProjectId", "Status", "Attempts",
                "ScheduledAttempts", "NextAttemptAt", "CreatedAt")
            VALUES (@webhook, @event, @type, @project, @status, 0, 0, @due, @created)
            """, "@webhook", "@event", "@type", "@project", "@status", "@due", "@created");
    }

    public Task InsertEventAsync(EventRecord e, CancellationToken cancellationToken) => Run(_insertEvent, cancellationToken,
        e.Id, e.Type, e.ProjectId, e.CompanyId, e.ActorId, e.OccurredAt, e.ReceivedAt, e.PreviousValueJson, e.CurrentValueJson,
        e.DeliveryCount, e.Origin.ToString());

    public Task InsertDeliveryAsync(string webhookId, EventRecord e, DeliveryStatus status, DateTime due, CancellationToken cancellationToken) =>
        Run(_insertDelivery, cancellationToken, webhookId, e.Id, e.Type, e.ProjectId, status.ToName(), due, e.ReceivedAt);

    private static DbCommand Prepare(DbConnection connection, DbTransaction transaction, string sql, params string[] names)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in names)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            command.Parameters.Add(parameter);
        }
        return command;
    }

    private static Task<int> Run(DbCommand command, CancellationToken cancellationToken, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i] ?? DBNull.Value;
        return command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _insertEvent.DisposeAsync();
        await _insertDelivery.DisposeAsync();
    }
}
