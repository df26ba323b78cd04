using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WebhookAdmin.Features.Accounts;

public enum ProjectRole { Member, Admin }

/// <summary>
/// A user's membership of a project. Matching reads it at ingestion time: a webhook only receives
/// events from projects its owner belongs to at that moment (Blue's rule 4).
/// </summary>
public sealed class ProjectMembership
{
    public required string ProjectId { get; init; }
    public Project? Project { get; init; }
    public required string UserId { get; init; }
    public AppUser? User { get; init; }
    public ProjectRole Role { get; set; }
    public DateTime CreatedAt { get; init; }
}

internal sealed class ProjectMembershipConfiguration : IEntityTypeConfiguration<ProjectMembership>
{
    public void Configure(EntityTypeBuilder<ProjectMembership> membership)
    {
        membership.HasKey(m => new { m.ProjectId, m.UserId });
        membership.Property(m => m.Role).HasConversion<string>().HasMaxLength(16);
        membership.HasOne(m => m.Project).WithMany().HasForeignKey(m => m.ProjectId).OnDelete(DeleteBehavior.Cascade);
        membership.HasOne(m => m.User).WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
        // The ingestion matcher looks memberships up by (user, project); the organization pages list them by user.
        membership.HasIndex(m => new { m.UserId, m.ProjectId });
    }
}
