using System.Collections.Concurrent;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WebhookAdmin.Data;
using WebhookAdmin.Hosting.Api;

namespace WebhookAdmin.Features.Accounts;

/// <summary>
/// Authenticates <c>Authorization: Bearer wha_…</c>. Token lookups are cached for a few seconds so a
/// busy publisher does not cost a database read per event; revocation evicts the cache entry at once.
/// </summary>
public sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiTokenCache cache)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiToken";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
            return AuthenticateResult.NoResult();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return AuthenticateResult.Fail("The Authorization header must be 'Bearer <token>'.");

        var token = header["Bearer ".Length..].Trim();
        if (!token.StartsWith(ApiTokenFormat.Prefix, StringComparison.Ordinal))
            return AuthenticateResult.Fail("API tokens start with 'wha_'.");

        var principal = await cache.FindAsync(ApiTokenFormat.Hash(token), Context.RequestAborted);
        return principal is null
            ? AuthenticateResult.Fail("The token is unknown or revoked.")
            : AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        ApiProblems.Write(Context, StatusCodes.Status401Unauthorized, "Authentication required",
            "Send 'Authorization: Bearer <token>' with a valid API token.");

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ApiProblems.Write(Context, StatusCodes.Status403Forbidden, "Missing scope",
            "The token does not carry the scope this route needs.");
}

/// <summary>Token hash → principal, for a short time. Singleton.</summary>
public sealed class ApiTokenCache(IDbContextFactory<AppDbContext> dbFactory, TimeProvider time)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(10);
    private readonly ConcurrentDictionary<string, (ClaimsPrincipal? Principal, DateTimeOffset Expires)> _entries = new();

    public async Task<ClaimsPrincipal?> FindAsync(string tokenHash, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_entries.TryGetValue(tokenHash, out var entry) && entry.Expires > now)
            return entry.Principal;

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var found = await db.ApiTokens.AsNoTracking()
            .Where(t => t.TokenHash == tokenHash && t.RevokedAt == null)
            .Select(t => new { t.Id, t.UserId, t.User!.Email, t.User.IsAdmin, t.Scopes })
            .FirstOrDefaultAsync(cancellationToken);

        ClaimsPrincipal? principal = null;
        if (found is not null)
        {
            await db.ApiTokens.Where(t => t.Id == found.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedAt, now.UtcDateTime), cancellationToken);
            principal = CreatePrincipal(found.UserId, found.Email ?? "", found.IsAdmin, found.Scopes, ApiTokenAuthenticationHandler.SchemeName);
            // Which token, not only whose: the ingestion limit is per token, and one user may hold several.
            ((ClaimsIdentity)principal.Identity!).AddClaim(new Claim(CurrentUser.TokenClaim, found.Id));
        }
        _entries[tokenHash] = (principal, now + Lifetime);
        return principal;
    }

    public void Evict(string tokenHash) => _entries.TryRemove(tokenHash, out _);

    public void Clear() => _entries.Clear();

    public static ClaimsPrincipal CreatePrincipal(string userId, string email, bool isAdmin, IEnumerable<string> scopes, string scheme)
    {
        List<Claim> claims =
        [
            new(ClaimTypes.NameIdentifier, userId),
            new(ClaimTypes.Name, email),
            new(ClaimTypes.Email, email),
            new(CurrentUser.AdminClaim, isAdmin ? "true" : "false"),
        ];
        claims.AddRange(scopes.Select(s => new Claim(CurrentUser.ScopeClaim, s)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }
}
