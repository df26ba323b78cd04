using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WebhookAdmin.Data;

namespace WebhookAdmin.Features.Accounts;

/// <summary>
/// A bearer token for the API. Only the SHA-256 hash of the token is stored: the token itself is
/// shown once, at creation, and cannot be recovered.
/// </summary>
public sealed class ApiToken
{
    public required string Id { get; init; }
    public required string UserId { get; init; }
    public AppUser? User { get; init; }
    public required string Name { get; set; }
    public required string TokenHash { get; init; }

    /// <summary>The first characters of the token (<c>wha_AbCd</c>), so people can tell their tokens apart.</summary>
    public required string Prefix { get; init; }

    public List<string> Scopes { get; set; } = [];
    public DateTime CreatedAt { get; init; }
    public DateTime? LastUsedAt { get; set; }
    public DateTime? RevokedAt { get; set; }
}

internal sealed class ApiTokenConfiguration : IEntityTypeConfiguration<ApiToken>
{
    public void Configure(EntityTypeBuilder<ApiToken> token)
    {
        token.Property(t => t.Id).HasMaxLength(40);
        token.Property(t => t.Name).HasMaxLength(Limits.Name);
        token.Property(t => t.TokenHash).HasMaxLength(64);
        token.Property(t => t.Prefix).HasMaxLength(16);
        token.HasIndex(t => t.TokenHash).IsUnique();
        token.HasIndex(t => t.UserId);
        token.HasOne(t => t.User).WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
