using Microsoft.AspNetCore.Identity;

namespace WebhookAdmin.Features.Accounts;

/// <summary>A person who signs in to the admin app or owns API tokens and webhooks.</summary>
public sealed class AppUser : IdentityUser
{
    public string? DisplayName { get; set; }

    /// <summary>Administrators see and manage every webhook and the organization (companies, projects, users).</summary>
    public bool IsAdmin { get; set; }

    public DateTime CreatedAt { get; init; }

    public string Label => string.IsNullOrWhiteSpace(DisplayName) ? Email ?? UserName ?? Id : DisplayName;
}
