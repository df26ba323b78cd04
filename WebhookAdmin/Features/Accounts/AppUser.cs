using Microsoft.AspNetCore.Identity;

namespace WebhookAdmin.Features.Accounts;

/// <summary>A person who signs in to the admin app or owns API tokens and webhooks.</summary>
public sealed class AppUser : IdentityUser
{
    public string? DisplayName { get; set; }

    /// <summary>Administrators see and manage every webhook and the organization (companies, projects, users).</summary>
    public bool IsAdmin { get; set; }

    public DateTime CreatedAt { get; init; }

    /// <summary>The admin app's language this person last chose (<c>en</c>, <c>pt-BR</c>); emails to them are written in it. Null: English.</summary>
    public string? Language { get; set; }

    /// <summary>They turned off the emails about their webhooks' health (disabled, failing, recovered).</summary>
    public bool NotificationEmailsOff { get; set; }

    public string Label => string.IsNullOrWhiteSpace(DisplayName) ? Email ?? UserName ?? Id : DisplayName;
}
