using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace WebhookAdmin.Features.Accounts;

/// <summary>
/// Adds the administrator flag to the sign-in cookie, as the API token handler does for tokens, so
/// <see cref="CurrentUser.From"/> reads a cookie user and a token user the same way (no scopes = the whole person).
/// </summary>
public sealed class AppUserClaimsFactory(UserManager<AppUser> users, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<AppUser>(users, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(AppUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(CurrentUser.AdminClaim, user.IsAdmin ? "true" : "false"));
        if (!string.IsNullOrWhiteSpace(user.DisplayName))
            identity.AddClaim(new Claim(DisplayNameClaim, user.DisplayName));
        return identity;
    }

    public const string DisplayNameClaim = "wha_display_name";
}
