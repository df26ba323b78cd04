using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WebhookAdmin.Data;
using WebhookAdmin.Features.Accounts;

namespace WebhookAdmin.Hosting;

/// <summary>
/// On an empty database: the bootstrap administrator, the bootstrap API token, and (Development) demo
/// companies, projects and users. Idempotent: each step checks before it writes.
/// </summary>
public sealed class Bootstrapper(
    IDbContextFactory<AppDbContext> dbFactory,
    UserManager<AppUser> users,
    OrganizationService organization,
    ApiTokenService tokens,
    IOptions<BootstrapOptions> options,
    ILogger<Bootstrapper> logger)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (string.IsNullOrWhiteSpace(settings.AdminEmail) || string.IsNullOrEmpty(settings.AdminPassword))
        {
            // Production has no default administrator: without these settings a new database has nobody who can sign in.
            if (!await users.Users.AnyAsync(cancellationToken))
                logger.LogWarning("The database has no users and Bootstrap:AdminEmail or Bootstrap:AdminPassword is not set, so nobody can sign in. "
                    + "Set both (environment: Bootstrap__AdminEmail, Bootstrap__AdminPassword) and restart");
            return;
        }

        var admin = await users.FindByEmailAsync(settings.AdminEmail);
        var firstRun = admin is null && !await users.Users.AnyAsync(cancellationToken);
        if (firstRun)
        {
            var created = await organization.CreateUserAsync(
                new CreateUserRequest(settings.AdminEmail, settings.AdminPassword, "Administrator", true), cancellationToken);
            if (created is not Features.Common.ServiceResult<UserResponse>.Success)
                throw new InvalidOperationException($"The bootstrap administrator could not be created: {created.ErrorMessage}");
            admin = await users.FindByEmailAsync(settings.AdminEmail);
        }
        if (admin is null) return;

        await RegisterTokenAsync(admin, settings.ApiToken, cancellationToken);
        if (settings.DemoData)
            await DemoData.SeedAsync(dbFactory, organization, admin, cancellationToken);

        if (firstRun)
            logger.LogInformation("Created the administrator {Email}; sign in with the password from Bootstrap:AdminPassword", admin.Email);
    }

    private async Task RegisterTokenAsync(AppUser admin, string? token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token)) return;
        if (!token.StartsWith(ApiTokenFormat.Prefix, StringComparison.Ordinal) || token.Length < 20)
            throw new InvalidOperationException("Bootstrap:ApiToken must start with 'wha_' and be at least 20 characters long.");
        if (await tokens.ExistsAsync(token, cancellationToken)) return;
        await tokens.CreateAsync(admin.Id, true, new CreateTokenRequest("Bootstrap token", Scopes.All), cancellationToken, exactToken: token);
    }
}
