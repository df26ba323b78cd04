using System.Security.Claims;

namespace WebhookAdmin.Features.Accounts;

/// <summary>Who is asking, read from the principal of a token or a cookie sign-in.</summary>
public sealed record CurrentUser(string Id, string Email, bool IsAdmin, IReadOnlySet<string> Scopes)
{
    public const string ScopeClaim = "scope";
    public const string AdminClaim = "wha_admin";
    /// <summary>The id of the API token a request came with; absent on a cookie sign-in.</summary>
    public const string TokenClaim = "wha_token";

    /// <summary>Administrators act on every webhook; others on their own.</summary>
    public bool SeesEverything => IsAdmin && (Scopes.Contains(Accounts.Scopes.Admin) || Scopes.Count == 0);

    public bool Has(string scope) => Scopes.Contains(scope) || Scopes.Contains(Accounts.Scopes.Admin);

    public static CurrentUser From(ClaimsPrincipal principal)
    {
        var id = principal.FindFirstValue(ClaimTypes.NameIdentifier)
                 ?? throw new InvalidOperationException("The principal has no user id.");
        var email = principal.FindFirstValue(ClaimTypes.Email) ?? principal.Identity?.Name ?? "";
        var isAdmin = principal.HasClaim(AdminClaim, "true");
        var scopes = principal.FindAll(ScopeClaim).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        return new CurrentUser(id, email, isAdmin, scopes);
    }
}
