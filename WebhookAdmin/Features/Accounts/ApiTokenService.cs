using Microsoft.EntityFrameworkCore;
using WebhookAdmin.Data;
using WebhookAdmin.Features.Common;

namespace WebhookAdmin.Features.Accounts;

public sealed record TokenResponse(string Id, string Name, IReadOnlyList<string> Scopes, string Prefix, DateTime CreatedAt, DateTime? LastUsedAt);

public sealed record CreatedTokenResponse(string Id, string Name, IReadOnlyList<string> Scopes, string Token);

public sealed record CreateTokenRequest(string? Name, string[]? Scopes);

/// <summary>Creates (shown once, stored hashed), lists and revokes API tokens.</summary>
public sealed class ApiTokenService(IDbContextFactory<AppDbContext> dbFactory, ApiTokenCache cache, TimeProvider time)
{
    public async Task<ServiceResult<CreatedTokenResponse>> CreateAsync(
        string userId, bool userIsAdmin, CreateTokenRequest request, CancellationToken cancellationToken, string? exactToken = null)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Name)) errors["name"] = ["Give the token a name, for example \"CRM sync\"."];
        else if (request.Name.Length > Limits.Name) errors["name"] = [$"The name must be at most {Limits.Name} characters."];
        var scopes = request.Scopes ?? [];
        if (scopes.Length == 0) errors["scopes"] = [$"Choose at least one scope: {string.Join(", ", Scopes.All)}."];
        for (var i = 0; i < scopes.Length; i++)
            if (!Scopes.IsKnown(scopes[i]))
                errors[$"scopes[{i}]"] = [$"'{scopes[i]}' is not a scope; use {string.Join(", ", Scopes.All)}."];
        if (errors.Count > 0) return new ServiceResult<CreatedTokenResponse>.Invalid(errors);
        if (scopes.Contains(Scopes.Admin) && !userIsAdmin)
            return new ServiceResult<CreatedTokenResponse>.Forbidden("scopes", "Only administrators can hold the 'admin' scope.");

        var token = exactToken ?? ApiTokenFormat.NewToken();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var entity = new ApiToken
        {
            Id = ApiTokenFormat.NewId(),
            UserId = userId,
            Name = request.Name!.Trim(),
            TokenHash = ApiTokenFormat.Hash(token),
            Prefix = ApiTokenFormat.DisplayPrefix(token),
            Scopes = scopes.Distinct().ToList(),
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        db.ApiTokens.Add(entity);
        await db.SaveChangesAsync(cancellationToken);
        cache.Evict(entity.TokenHash);
        return new CreatedTokenResponse(entity.Id, entity.Name, entity.Scopes, token);
    }

    public async Task<List<TokenResponse>> ListAsync(string userId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.ApiTokens.AsNoTracking()
            .Where(t => t.UserId == userId && t.RevokedAt == null)
            .OrderByDescending(t => t.CreatedAt)
            .Select(t => new TokenResponse(t.Id, t.Name, t.Scopes, t.Prefix, t.CreatedAt, t.LastUsedAt))
            .ToListAsync(cancellationToken);
    }

    /// <summary>Revokes one of the user's tokens (any user's, for <paramref name="anyUser"/>); false when there is none.</summary>
    public async Task<bool> RevokeAsync(string userId, string tokenId, bool anyUser, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var token = await db.ApiTokens.FirstOrDefaultAsync(
            t => t.Id == tokenId && t.RevokedAt == null && (anyUser || t.UserId == userId), cancellationToken);
        if (token is null) return false;
        token.RevokedAt = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        cache.Evict(token.TokenHash);
        return true;
    }

    public async Task<bool> ExistsAsync(string token, CancellationToken cancellationToken)
    {
        var hash = ApiTokenFormat.Hash(token);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.ApiTokens.AnyAsync(t => t.TokenHash == hash, cancellationToken);
    }
}
