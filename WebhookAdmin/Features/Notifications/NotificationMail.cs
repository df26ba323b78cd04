using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WebhookAdmin.Data;

namespace WebhookAdmin.Features.Notifications;

public enum HealthNoticeKind { Failing, Disabled, Recovered }

public enum MailStatus { Pending, Sent, Failed }

/// <summary>
/// One email about a webhook's health, written (already in its recipient's words) when the change is seen and
/// sent by <see cref="MailDeliveryJob"/>: the durable mail outbox. <see cref="MailOutbox"/> is the only writer of its state.
/// </summary>
public sealed class NotificationMail
{
    public long Id { get; init; }
    public required string WebhookId { get; init; }
    public required string UserId { get; init; }
    public required string To { get; init; }
    public HealthNoticeKind Kind { get; init; }
    public required string Subject { get; init; }
    public required string Body { get; init; }
    public DateTime CreatedAt { get; init; }
    public MailStatus Status { get; init; }
    public int Attempts { get; init; }

    /// <summary>When the next try is due; null once sent or given up.</summary>
    public DateTime? NextAttemptAt { get; init; }

    public DateTime? SentAt { get; init; }

    /// <summary>Why the last try failed (the SMTP server's or the network's words), for administrators.</summary>
    public string? LastError { get; init; }
}

internal sealed class NotificationMailConfiguration : IEntityTypeConfiguration<NotificationMail>
{
    public void Configure(EntityTypeBuilder<NotificationMail> mail)
    {
        mail.ToTable("NotificationMails");
        mail.Property(m => m.WebhookId).HasMaxLength(Limits.ExternalId);
        mail.Property(m => m.UserId).HasMaxLength(450);
        mail.Property(m => m.To).HasMaxLength(256);
        mail.Property(m => m.Subject).HasMaxLength(512);
        mail.Property(m => m.Kind).HasConversion<string>().HasMaxLength(16);
        mail.Property(m => m.Status).HasConversion<string>().HasMaxLength(16);
        mail.Property(m => m.LastError).HasMaxLength(2048);
        // The sender's question (what is due now) and the administrators' list (newest first).
        mail.HasIndex(m => m.NextAttemptAt).HasFilter("\"NextAttemptAt\" IS NOT NULL");
        mail.HasIndex(m => m.CreatedAt);
    }
}
