using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using WebhookAdmin.Hosting.Api;
using WebhookAdmin.Hosting.Limits;

namespace WebhookAdmin.Features.Accounts;

/// <summary>
/// Companies, projects, members and users (scope admin; "Directory" in the API reference), tokens (any token), and
/// the sign-in exchange that gives a newcomer with curl a token.
/// </summary>
public static class AccountsApi
{
    public static IEndpointRouteBuilder MapAccountsApi(this IEndpointRouteBuilder api)
    {
        var organization = api.MapGroup("/").WithTags("Directory").RequireAuthorization(ApiPolicies.Admin);
        organization.MapPut("/companies/{companyId}", PutCompany).WithSummary("Create or rename a company").Produces<CompanyResponse>();
        organization.MapPut("/projects/{projectId}", PutProject).WithSummary("Create or update a project").Produces<ProjectResponse>();
        organization.MapPut("/projects/{projectId}/members/{email}", PutMember).WithSummary("Add or change a member; creates the user if new")
            .Produces<MemberResponse>();
        organization.MapDelete("/projects/{projectId}/members/{email}", RemoveMember).WithSummary("Remove a member");
        organization.MapPost("/users", CreateUser).WithSummary("Create a user").Produces<UserResponse>(StatusCodes.Status201Created);
        organization.MapPost("/users/{email}/tokens", CreateTokenForUser).WithSummary("Create an API token for a user")
            .Produces<CreatedTokenResponse>(StatusCodes.Status201Created);

        api.MapGet("/companies", Companies).WithTags("Directory").RequireAuthorization(ApiPolicies.AnyToken)
            .WithSummary("Companies and projects the caller belongs to (admin: all)").Produces<List<CompanyTreeResponse>>();

        var tokens = api.MapGroup("/tokens").WithTags("Tokens").RequireAuthorization(ApiPolicies.AnyToken);
        tokens.MapGet("/", ListTokens).WithSummary("The caller's tokens (never the token itself)").Produces<List<TokenResponse>>();
        tokens.MapPost("/", CreateToken).WithSummary("Create a token for the caller").Produces<CreatedTokenResponse>(StatusCodes.Status201Created);
        tokens.MapDelete("/{id}", RevokeToken).WithSummary("Revoke a token");

        api.MapPost("/auth/tokens", SignInForToken).WithTags("Tokens").AllowAnonymous()
            .WithSummary("Exchange email and password for a new API token (failed attempts count towards lockout)")
            .Produces<CreatedTokenResponse>(StatusCodes.Status201Created);
        return api;
    }

    public static async Task<IResult> PutCompany(string companyId, PutCompanyRequest? request, OrganizationService organization, CancellationToken cancellationToken) =>
        request is null
            ? ApiProblems.Validation("body", "Send { \"name\": \"…\" }.")
            : (await organization.PutCompanyAsync(companyId, request, cancellationToken)).ToHttp(TypedResults.Ok, "The company");

    public static async Task<IResult> PutProject(string projectId, PutProjectRequest? request, OrganizationService organization, CancellationToken cancellationToken) =>
        request is null
            ? ApiProblems.Validation("body", "Send { \"companyId\": \"…\", \"name\": \"…\" }.")
            : (await organization.PutProjectAsync(projectId, request, cancellationToken)).ToHttp(TypedResults.Ok, "The project");

    public static async Task<IResult> PutMember(string projectId, string email, PutMemberRequest? request, OrganizationService organization, CancellationToken cancellationToken) =>
        (await organization.PutMemberAsync(projectId, email, request ?? new PutMemberRequest(null), cancellationToken)).ToHttp(TypedResults.Ok, "The project");

    public static async Task<IResult> RemoveMember(string projectId, string email, OrganizationService organization, CancellationToken cancellationToken)
    {
        await organization.RemoveMemberAsync(projectId, email, cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<IResult> CreateUser(CreateUserRequest? request, OrganizationService organization, CancellationToken cancellationToken) =>
        request is null
            ? ApiProblems.Validation("body", "Send { \"email\": \"…\" }.")
            : (await organization.CreateUserAsync(request, cancellationToken)).ToHttp(u => TypedResults.Created($"/api/v1/users/{u.Email}", u), "The user");

    public static async Task<IResult> CreateTokenForUser(
        string email, CreateTokenRequest? request, UserManager<AppUser> users, ApiTokenService tokens, CancellationToken cancellationToken)
    {
        if (request is null) return ApiProblems.Validation("body", "Send { \"name\": \"…\", \"scopes\": [\"webhooks\"] }.");
        var user = await users.FindByEmailAsync(email);
        if (user is null) return ApiProblems.NotFound("The user");
        return (await tokens.CreateAsync(user.Id, user.IsAdmin, request, cancellationToken))
            .ToHttp(t => TypedResults.Created($"/api/v1/tokens/{t.Id}", t));
    }

    public static async Task<IResult> Companies(ClaimsPrincipal principal, OrganizationService organization, CancellationToken cancellationToken) =>
        TypedResults.Ok(await organization.CompaniesForAsync(CurrentUser.From(principal), cancellationToken));

    public static async Task<IResult> ListTokens(ClaimsPrincipal principal, ApiTokenService tokens, CancellationToken cancellationToken) =>
        TypedResults.Ok(await tokens.ListAsync(CurrentUser.From(principal).Id, cancellationToken));

    public static async Task<IResult> CreateToken(CreateTokenRequest? request, ClaimsPrincipal principal, ApiTokenService tokens, CancellationToken cancellationToken)
    {
        if (request is null) return ApiProblems.Validation("body", "Send { \"name\": \"…\", \"scopes\": [\"webhooks\"] }.");
        var user = CurrentUser.From(principal);
        return (await tokens.CreateAsync(user.Id, user.IsAdmin, request, cancellationToken))
            .ToHttp(t => TypedResults.Created($"/api/v1/tokens/{t.Id}", t));
    }

    public static async Task<IResult> RevokeToken(string id, ClaimsPrincipal principal, ApiTokenService tokens, CancellationToken cancellationToken)
    {
        var user = CurrentUser.From(principal);
        return await tokens.RevokeAsync(user.Id, id, ApiPolicies.Allows(principal, Scopes.Admin), cancellationToken)
            ? TypedResults.NoContent()
            : ApiProblems.NotFound("The token");
    }

    public static async Task<IResult> SignInForToken(
        SignInTokenRequest? request, UserManager<AppUser> users, ApiTokenService tokens, SignInThrottle throttle, HttpContext http,
        CancellationToken cancellationToken)
    {
        if (request is null || string.IsNullOrWhiteSpace(request.Email) || string.IsNullOrEmpty(request.Password))
            return ApiProblems.Validation(new Dictionary<string, string[]>
            {
                ["email"] = ["Send your email and password."],
                ["password"] = ["Send your email and password."],
            });

        if (throttle.TryAttempt(http.Connection.RemoteIpAddress, request.Email) is { } refusal)
            return TooManyRequests.Result(refusal.RetryAfter, refusal.Detail,
                refusal.ByAccount ? new Dictionary<string, string[]> { ["email"] = [refusal.Detail] } : null);

        var user = await users.FindByEmailAsync(request.Email);
        if (user is null || await users.IsLockedOutAsync(user) || !await users.CheckPasswordAsync(user, request.Password))
        {
            if (user is not null && !await users.IsLockedOutAsync(user)) await users.AccessFailedAsync(user);
            var detail = user is not null && await users.IsLockedOutAsync(user)
                ? "Too many failed attempts: the account is locked for a few minutes."
                : "The email or password is wrong.";
            // Both fields, always: naming one would tell whether the email exists.
            return ApiProblems.Problem(StatusCodes.Status401Unauthorized, "Sign-in failed", detail,
                new Dictionary<string, string[]> { ["email"] = [detail], ["password"] = [detail] });
        }
        await users.ResetAccessFailedCountAsync(user);
        var scopes = request.Scopes ?? (user.IsAdmin ? Scopes.All : [Scopes.Webhooks, Scopes.EventsPublish]);
        return (await tokens.CreateAsync(user.Id, user.IsAdmin, new CreateTokenRequest(request.Name ?? "curl", scopes), cancellationToken))
            .ToHttp(t => TypedResults.Created($"/api/v1/tokens/{t.Id}", t));
    }
}
