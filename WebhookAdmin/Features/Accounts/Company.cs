using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WebhookAdmin.Data;

namespace WebhookAdmin.Features.Accounts;

/// <summary>An organization of the host platform (Blue calls it a company). Its id is the host's own.</summary>
public sealed class Company
{
    public required string Id { get; init; }
    public required string Name { get; set; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; set; }
    public List<Project> Projects { get; init; } = [];
}

internal sealed class CompanyConfiguration : IEntityTypeConfiguration<Company>
{
    public void Configure(EntityTypeBuilder<Company> company)
    {
        company.Property(c => c.Id).HasMaxLength(Limits.ExternalId);
        company.Property(c => c.Name).HasMaxLength(Limits.Name);
        company.HasMany(c => c.Projects).WithOne(p => p.Company).HasForeignKey(p => p.CompanyId);
        company.HasIndex(c => c.Name);
    }
}
