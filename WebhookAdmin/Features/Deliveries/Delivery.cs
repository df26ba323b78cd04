using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WebhookAdmin.Data;
using WebhookAdmin.Features.Deliveries.Reasons;
using WebhookAdmin.Features.Events;
using WebhookAdmin.Features.Webhooks;

namespace WebhookAdmin.Features.Deliveries;

/// <summary>
/// One event on its way to one webhook: the outbox row. Ingestion writes it in the same transaction
/// as the event; the drain job claims it, sends it, and records each try as a <see cref="DeliveryAttempt"/>.
/// </summary>
public sealed class Delivery
{
    public long Id { get; init; }
    public required string WebhookId { get; init; }
    public Webhook? Webhook { get; init; }
    public required string EventId { get; init; }
    public EventRecord? Event { get; init; }

    // Copied from the event so the log can filter and page without a join.
    public required string EventType { get; init; }
    public string? ProjectId { get; init; }

    public DeliveryStatus Status { get; set; }

    /// <summary>Every attempt, scheduled or manual; the number of the next one is this plus one.</summary>
    public int Attempts { get; set; }

    /// <summary>Scheduled attempts only: the retry budget (<c>Delivery:MaxAttempts</c>) counts these.</summary>
    public int ScheduledAttempts { get; set; }

    public DateTime? NextAttemptAt { get; set; }
    public DateTime CreatedAt { get; init; }
    public DateTime? DeliveredAt { get; set; }
    public DateTime? LastAttemptAt { get; set; }
    public int? LastStatusCode { get; set; }
    public string? LastError { get; set; }

    /// <summary><see cref="LastError"/> as its parts (see <see cref="DeliveryAttempt.ErrorReason"/>).</summary>
    public PlainReason? LastErrorReason { get; set; }

    /// <summary>
    /// Failed on the scheduled attempt that disabled its webhook (or while it was being disabled): re-enabling
    /// with replay sends it again, so nothing is dropped.
    /// </summary>
    public bool AwaitsReplay { get; set; }

    /// <summary>Which claim holds the row and until when; an expired lease is claimable again (crash recovery).</summary>
    public string? LeaseOwner { get; set; }
    public DateTime? LeaseExpiresAt { get; set; }
}

public enum DeliveryStatus { Pending, Delivering, Delivered, Failed, Held, Skipped }

internal sealed class DeliveryConfiguration : IEntityTypeConfiguration<Delivery>
{
    public void Configure(EntityTypeBuilder<Delivery> delivery)
    {
        delivery.Property(d => d.WebhookId).HasMaxLength(40);
        delivery.Property(d => d.EventId).HasMaxLength(Limits.ExternalId);
        delivery.Property(d => d.EventType).HasMaxLength(64);
        delivery.Property(d => d.ProjectId).HasMaxLength(Limits.ExternalId);
        delivery.Property(d => d.Status).HasConversion(DeliveryStatusNames.Converter).HasMaxLength(16);
        delivery.Property(d => d.LastError).HasMaxLength(1000);
        delivery.Property(d => d.LastErrorReason).HasConversion(PlainReason.Column);
        delivery.Property(d => d.LeaseOwner).HasMaxLength(64);
        delivery.HasOne(d => d.Webhook).WithMany().HasForeignKey(d => d.WebhookId).OnDelete(DeleteBehavior.Cascade);
        delivery.HasOne(d => d.Event).WithMany().HasForeignKey(d => d.EventId).OnDelete(DeleteBehavior.Cascade);

        // The drain claims by (status, due time, id), skipping webhooks whose lanes are full: the webhook is in
        // the index so that skipping a row never reads the table, after the id so that a tie of due times (a
        // released backlog shares one) still comes out in order without a sort. Pending/held counts per webhook; the log pages
        // newest first (Id order) per webhook, per event type, per project and per status.
        delivery.HasIndex(d => new { d.Status, d.NextAttemptAt, d.Id, d.WebhookId });
        delivery.HasIndex(d => new { d.WebhookId, d.Status });
        delivery.HasIndex(d => new { d.WebhookId, d.Id });
        delivery.HasIndex(d => new { d.EventType, d.Id });
        delivery.HasIndex(d => new { d.ProjectId, d.Id });
        delivery.HasIndex(d => d.EventId);
        delivery.HasIndex(d => d.CreatedAt);
    }
}
