using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WebhookAdmin.Data;

namespace WebhookAdmin.Features.Webhooks;

/// <summary>
/// What a webhook looked like to its receivers at one revision: the fields the payload's <c>webhook</c> object is
/// written from. Written in the same transaction as the change, never edited; attempts point at it.
/// </summary>
public sealed class WebhookRevision
{
    public required string WebhookId { get; init; }
    public int Revision { get; init; }
    public required string Uid { get; init; }
    public required string Url { get; init; }
    public bool Enabled { get; init; }
    public WebhookStatus Status { get; init; }
    public List<string> Events { get; init; } = [];
    public List<string> ProjectIds { get; init; } = [];
    public DateTime CreatedAt { get; init; }
}

internal sealed class WebhookRevisionConfiguration : IEntityTypeConfiguration<WebhookRevision>
{
    public void Configure(EntityTypeBuilder<WebhookRevision> revision)
    {
        revision.ToTable("WebhookRevisions");
        revision.HasKey(r => new { r.WebhookId, r.Revision });
        revision.Property(r => r.WebhookId).HasMaxLength(40);
        revision.Property(r => r.Uid).HasMaxLength(24);
        revision.Property(r => r.Url).HasMaxLength(Limits.Url);
        revision.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
        revision.HasOne<Webhook>().WithMany().HasForeignKey(r => r.WebhookId).OnDelete(DeleteBehavior.Cascade);
    }
}
