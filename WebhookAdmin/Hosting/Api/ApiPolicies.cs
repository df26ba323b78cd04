using Microsoft.AspNetCore.Authorization;
using WebhookAdmin.Features.Accounts;

namespace WebhookAdmin.Hosting.Api;

/// <summary>Authorization policies of the API: a bearer token carrying a scope (<c>admin</c> implies every scope).</summary>
public static class ApiPolicies
{
    public const string Webhooks = "api:webhooks";
    public const string EventsPublish = "api:events:publish";
    public const string Admin = "api:admin";
    public const string AnyToken = "api:any";

    public static Action<AuthorizationPolicyBuilder> Scope(string scope) => policy => policy
        .AddAuthenticationSchemes(ApiTokenAuthenticationHandler.SchemeName)
        .RequireAuthenticatedUser()
        .RequireAssertion(context => Allows(context.User, scope));

    /// <summary>The admin scope only counts while its user is still an administrator.</summary>
    public static bool Allows(System.Security.Claims.ClaimsPrincipal user, string scope)
    {
        var isAdmin = user.HasClaim(CurrentUser.AdminClaim, "true");
        if (user.HasClaim(CurrentUser.ScopeClaim, Scopes.Admin) && isAdmin) return true;
        return scope != Scopes.Admin && user.HasClaim(CurrentUser.ScopeClaim, scope);
    }
}
