using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WebhookAdmin.Data;

namespace WebhookAdmin.Features.Accounts;

/// <summary>A workspace of the host platform. Events are published per project.</summary>
public sealed class Project
{
    public required string Id { get; init; }
    public required string CompanyId { get; set; }
    public Company? Company { get; set; }
    public required string Name { get; set; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; set; }
}

internal sealed class ProjectConfiguration : IEntityTypeConfiguration<Project>
{
    public void Configure(EntityTypeBuilder<Project> project)
    {
        project.Property(p => p.Id).HasMaxLength(Limits.ExternalId);
        project.Property(p => p.CompanyId).HasMaxLength(Limits.ExternalId);
        project.Property(p => p.Name).HasMaxLength(Limits.Name);
        project.HasIndex(p => p.CompanyId);
    }
}
