using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WebhookAdmin.Data;

namespace WebhookAdmin.Features.Events;

/// <summary>
/// An event the host platform published (or a test / health-check event the app made itself).
/// Stored once; each matching webhook gets a <see cref="Deliveries.Delivery"/> row pointing at it.
/// </summary>
public sealed class EventRecord
{
    /// <summary><c>evt_…</c>; the publisher's own id when it gave one, which makes publishing idempotent.</summary>
    public required string Id { get; init; }
    public required string Type { get; init; }
    public string? ProjectId { get; init; }
    public string? CompanyId { get; init; }

    /// <summary>The names as published: every attempt's body carries these, even after a rename.</summary>
    public string? ProjectName { get; init; }
    public string? CompanyName { get; init; }

    public string? ActorId { get; init; }
    public DateTime OccurredAt { get; init; }
    public DateTime ReceivedAt { get; init; }

    /// <summary>Raw JSON exactly as published (validated), embedded verbatim into each payload.</summary>
    public string? PreviousValueJson { get; init; }
    public string? CurrentValueJson { get; init; }

    /// <summary>A health event's <c>subject</c> (the webhook it is about and why), as JSON; null for every other event.</summary>
    public string? SubjectJson { get; init; }

    /// <summary>How many deliveries the event fanned out to; answered again for a repeated id.</summary>
    public int DeliveryCount { get; init; }

    public EventOrigin Origin { get; init; }

    /// <summary>
    /// The W3C <c>traceparent</c> of the span that stored it, when tracing was on: its attempts, hours later or after
    /// a restart, join the same trace. Null when nothing was listening. Settable: a test send's record is made before
    /// its activity starts.
    /// </summary>
    public string? TraceParent { get; set; }
}

public enum EventOrigin
{
    Published,
    Test,
    HealthCheck,
    /// <summary>A health event WebhookAdmin raised about a webhook (<see cref="EventCatalog.Health"/>).</summary>
    Health,
}

internal sealed class EventRecordConfiguration : IEntityTypeConfiguration<EventRecord>
{
    public void Configure(EntityTypeBuilder<EventRecord> evt)
    {
        evt.ToTable("Events");
        evt.Property(e => e.Id).HasMaxLength(Limits.ExternalId);
        evt.Property(e => e.Type).HasMaxLength(64);
        evt.Property(e => e.ProjectId).HasMaxLength(Limits.ExternalId);
        evt.Property(e => e.CompanyId).HasMaxLength(Limits.ExternalId);
        evt.Property(e => e.ProjectName).HasMaxLength(Limits.Name);
        evt.Property(e => e.CompanyName).HasMaxLength(Limits.Name);
        evt.Property(e => e.ActorId).HasMaxLength(Limits.ExternalId);
        evt.Property(e => e.Origin).HasConversion<string>().HasMaxLength(16);
        evt.Property(e => e.TraceParent).HasMaxLength(55);
        evt.HasIndex(e => e.ReceivedAt);
        // Retention finds events that matched no webhook (nothing else would ever delete them) without reading the others.
        evt.HasIndex(e => e.ReceivedAt, "IX_Events_Unmatched").HasFilter("\"DeliveryCount\" = 0");
    }
}
