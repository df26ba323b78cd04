using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WebhookAdmin.Data;
using WebhookAdmin.Features.Accounts;
using WebhookAdmin.Features.Deliveries.Reasons;

namespace WebhookAdmin.Features.Webhooks;

public enum WebhookStatus { Healthy, Unhealthy }

/// <summary>
/// A subscription: which events of which projects are POSTed to which URL. It belongs to a user
/// (its owner), as in Blue, and is soft-deleted so that its delivery log survives it.
/// </summary>
public sealed class Webhook
{
    public required string Id { get; init; }

    /// <summary>Short public identifier (<c>wh_…</c>), as Blue shows it.</summary>
    public required string Uid { get; init; }

    public required string OwnerId { get; init; }
    public AppUser? Owner { get; init; }
    public string? Name { get; set; }
    public required string Url { get; set; }
    public bool Enabled { get; set; } = true;
    public WebhookStatus Status { get; set; } = WebhookStatus.Healthy;

    /// <summary>Subscribed event types; empty means every type, including types added later.</summary>
    public List<string> Events { get; set; } = [];

    /// <summary>Projects the webhook listens to; empty means every project its owner belongs to.</summary>
    public List<string> ProjectIds { get; set; } = [];

    /// <summary>
    /// Conditions on the event's data (a <see cref="Filters.RecordFilter"/> as JSON), checked at ingestion with the
    /// event type and project; null = every event that matches those.
    /// </summary>
    public string? FilterJson { get; set; }

    /// <summary>The signing secret, encrypted with ASP.NET Core Data Protection.</summary>
    public required string ProtectedSecret { get; set; }

    /// <summary>The secret before the last rotation; it keeps signing beside the new one until it expires.</summary>
    public string? ProtectedPreviousSecret { get; set; }
    public DateTime? PreviousSecretExpiresAt { get; set; }

    /// <summary>Why it is off, in the English words the API shows.</summary>
    public string? DisabledReason { get; set; }

    /// <summary>
    /// The same reason as its parts, so the pages can say it in the reader's language; null when it was disabled
    /// before reasons had parts (the pages then show <see cref="DisabledReason"/> as it is).
    /// </summary>
    public PlainReason? DisabledBecause { get; set; }
    public DateTime? DisabledAt { get; set; }

    // Health, kept on the row so the list and dashboard never aggregate the attempt table to show it.
    public int ConsecutiveFailures { get; set; }
    public DateTime? LastSuccessAt { get; set; }
    public DateTime? LastFailureAt { get; set; }
    public DateTime? LastAttemptAt { get; set; }

    /// <summary>
    /// Counts the changes to what a payload says about the webhook (url, events, projects, status, enabled). Each
    /// value is kept in <see cref="WebhookRevision"/>, and each attempt records the one it was sent with, so the
    /// delivery page can show the exact bytes that were sent long after the webhook changed.
    /// </summary>
    public int Revision { get; set; } = 1;

    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; set; }
    public DateTime? DeletedAt { get; set; }

    /// <summary>The row that keeps the current revision, to be added with the change that made it.</summary>
    public WebhookRevision CurrentRevision(DateTime at) => new()
    {
        WebhookId = Id, Revision = Revision, Uid = Uid, Url = Url, Enabled = Enabled, Status = Status,
        Events = [.. Events], ProjectIds = [.. ProjectIds], CreatedAt = at,
    };
}

internal sealed class WebhookConfiguration : IEntityTypeConfiguration<Webhook>
{
    public void Configure(EntityTypeBuilder<Webhook> webhook)
    {
        webhook.Property(w => w.Id).HasMaxLength(40);
        webhook.Property(w => w.Uid).HasMaxLength(24);
        webhook.Property(w => w.Name).HasMaxLength(Limits.Name);
        webhook.Property(w => w.Url).HasMaxLength(Limits.Url);
        webhook.Property(w => w.Status).HasConversion<string>().HasMaxLength(16);
        webhook.Property(w => w.DisabledReason).HasMaxLength(1000);
        webhook.Property(w => w.DisabledBecause).HasConversion(PlainReason.Column);
        webhook.HasIndex(w => w.Uid).IsUnique();
        // "My webhooks, newest first" and the admin-wide list.
        webhook.HasIndex(w => new { w.OwnerId, w.CreatedAt });
        webhook.HasIndex(w => w.CreatedAt);
        webhook.HasOne(w => w.Owner).WithMany().HasForeignKey(w => w.OwnerId).OnDelete(DeleteBehavior.Cascade);
        webhook.HasQueryFilter(w => w.DeletedAt == null);
    }
}
