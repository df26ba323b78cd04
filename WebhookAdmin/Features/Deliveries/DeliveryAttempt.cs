using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WebhookAdmin.Features.Deliveries.Reasons;

namespace WebhookAdmin.Features.Deliveries;

public enum AttemptTrigger { Scheduled, Manual }

/// <summary>One HTTP request towards a receiver and what came back. Every attempt is a row.</summary>
public sealed class DeliveryAttempt
{
    public long Id { get; init; }
    public long DeliveryId { get; init; }
    public Delivery? Delivery { get; init; }

    /// <summary>Copied from the delivery: health figures aggregate attempts per webhook over time.</summary>
    public required string WebhookId { get; init; }

    public int Number { get; init; }
    public DateTime StartedAt { get; init; }
    public double DurationMs { get; init; }
    public int? StatusCode { get; init; }
    public bool Succeeded { get; init; }

    /// <summary>Why it failed, in plain words ("connection refused", "timed out after 7 s").</summary>
    public string? Error { get; init; }

    /// <summary>
    /// The same reason as its parts, so each reader gets it in their language; null for attempts recorded before
    /// reasons had parts (their <see cref="Error"/> is then shown as it is).
    /// </summary>
    public PlainReason? ErrorReason { get; init; }

    public string? RequestHeaders { get; init; }
    public string? ResponseHeaders { get; init; }

    /// <summary>The receiver's answer, cut at 16 KiB.</summary>
    public string? ResponseBody { get; init; }

    public AttemptTrigger Trigger { get; init; }

    /// <summary>The webhook revision the body was written with: with the event, it reproduces the exact bytes sent.</summary>
    public int? WebhookRevision { get; init; }

    /// <summary>The <c>Instance:Name</c> of the instance that made it; null for attempts recorded before it was kept.</summary>
    public string? Instance { get; init; }
}

internal sealed class DeliveryAttemptConfiguration : IEntityTypeConfiguration<DeliveryAttempt>
{
    public void Configure(EntityTypeBuilder<DeliveryAttempt> attempt)
    {
        attempt.ToTable("DeliveryAttempts");
        attempt.Property(a => a.WebhookId).HasMaxLength(40);
        attempt.Property(a => a.Error).HasMaxLength(1000);
        attempt.Property(a => a.ErrorReason).HasConversion(PlainReason.Column);
        attempt.Property(a => a.Trigger).HasConversion<string>().HasMaxLength(16);
        attempt.Property(a => a.Instance).HasMaxLength(InstanceOptions.MaxName);
        attempt.HasOne(a => a.Delivery).WithMany().HasForeignKey(a => a.DeliveryId).OnDelete(DeleteBehavior.Cascade);
        attempt.HasIndex(a => new { a.DeliveryId, a.Number });
        // Health: attempts of one webhook in the last 24 hours; dashboard: all attempts in a time window.
        attempt.HasIndex(a => new { a.WebhookId, a.StartedAt });
        attempt.HasIndex(a => a.StartedAt);
    }
}
