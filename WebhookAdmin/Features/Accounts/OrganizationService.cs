using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using WebhookAdmin.Data;
using WebhookAdmin.Features.Common;

namespace WebhookAdmin.Features.Accounts;

/// <summary>
/// The organization the host platform keeps in sync: companies, projects, users and memberships.
/// Upserts are idempotent so the host can replay its sync at will.
/// </summary>
public sealed class OrganizationService(
    IDbContextFactory<AppDbContext> dbFactory,
    UserManager<AppUser> users,
    Webhooks.Subscriptions.SubscriptionIndex subscriptions,
    TimeProvider time)
{
    public async Task<ServiceResult<CompanyResponse>> PutCompanyAsync(string id, PutCompanyRequest request, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        CheckId(id, "companyId", errors);
        CheckName(request.Name, errors);
        if (errors.Count > 0) return new ServiceResult<CompanyResponse>.Invalid(errors);

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = Now;
        var company = await db.Companies.FindAsync([id], cancellationToken);
        if (company is null)
            db.Companies.Add(company = new Company { Id = id, Name = request.Name!.Trim(), CreatedAt = now, UpdatedAt = now });
        else
        {
            company.Name = request.Name!.Trim();
            company.UpdatedAt = now;
        }
        await db.SaveChangesAsync(cancellationToken);
        return new CompanyResponse(company.Id, company.Name, company.CreatedAt, company.UpdatedAt);
    }

    public async Task<ServiceResult<ProjectResponse>> PutProjectAsync(string id, PutProjectRequest request, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        CheckId(id, "projectId", errors);
        CheckName(request.Name, errors);
        if (string.IsNullOrWhiteSpace(request.CompanyId)) errors["companyId"] = ["The company id is required."];
        if (errors.Count > 0) return new ServiceResult<ProjectResponse>.Invalid(errors);

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.Companies.AnyAsync(c => c.Id == request.CompanyId, cancellationToken))
            return new ServiceResult<ProjectResponse>.Unknown("companyId", $"No company has the id '{request.CompanyId}'. Create it first with PUT /api/v1/companies/{{companyId}}.");

        var now = Now;
        var project = await db.Projects.FindAsync([id], cancellationToken);
        if (project is null)
            db.Projects.Add(project = new Project { Id = id, CompanyId = request.CompanyId!, Name = request.Name!.Trim(), CreatedAt = now, UpdatedAt = now });
        else
        {
            project.CompanyId = request.CompanyId!;
            project.Name = request.Name!.Trim();
            project.UpdatedAt = now;
        }
        await db.SaveChangesAsync(cancellationToken);
        return new ProjectResponse(project.Id, project.CompanyId, project.Name, project.CreatedAt, project.UpdatedAt);
    }

    public async Task<ServiceResult<MemberResponse>> PutMemberAsync(string projectId, string email, PutMemberRequest request, CancellationToken cancellationToken)
    {
        if (ParseRole(request.Role) is not { } role)
            return ServiceResult.Invalid<MemberResponse>("role", "The role is \"member\" or \"admin\".");
        if (!IsEmail(email))
            return ServiceResult.Invalid<MemberResponse>("email", $"'{email}' is not an email address.");

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.Projects.AnyAsync(p => p.Id == projectId, cancellationToken))
            return new ServiceResult<MemberResponse>.NotFound();

        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            var created = await CreateUserAsync(new CreateUserRequest(email, null, null, false), cancellationToken);
            if (created is not ServiceResult<UserResponse>.Success) return new ServiceResult<MemberResponse>.Invalid(((ServiceResult<UserResponse>.Invalid)created).Errors);
            user = (await users.FindByEmailAsync(email))!;
        }

        var membership = await db.Memberships.FindAsync([projectId, user.Id], cancellationToken);
        if (membership is null)
            db.Memberships.Add(new ProjectMembership { ProjectId = projectId, UserId = user.Id, Role = role, CreatedAt = Now });
        else
            membership.Role = role;
        await db.SaveChangesAsync(cancellationToken);
        return new MemberResponse(projectId, user.Id, user.Email!, RoleName(role));
    }

    /// <summary>Removing a member stops their webhooks receiving that project's events from now on (matching reads live membership).</summary>
    public async Task RemoveMemberAsync(string projectId, string email, CancellationToken cancellationToken)
    {
        var user = await users.FindByEmailAsync(email);
        if (user is null) return;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Memberships.Where(m => m.ProjectId == projectId && m.UserId == user.Id).ExecuteDeleteAsync(cancellationToken);
        subscriptions.Invalidate();
    }

    public async Task<ServiceResult<UserResponse>> CreateUserAsync(CreateUserRequest request, CancellationToken cancellationToken)
    {
        // Identity's UserManager takes no token; a caller that has already gone at least creates nobody.
        cancellationToken.ThrowIfCancellationRequested();
        var errors = new Dictionary<string, string[]>();
        if (!IsEmail(request.Email)) errors["email"] = ["A valid email address is required."];
        if (request.DisplayName is { Length: > Limits.Name }) errors["displayName"] = [$"At most {Limits.Name} characters."];
        if (errors.Count > 0) return new ServiceResult<UserResponse>.Invalid(errors);
        if (await users.FindByEmailAsync(request.Email!) is not null)
            return new ServiceResult<UserResponse>.Conflict($"A user with the email '{request.Email}' already exists.");

        var user = new AppUser
        {
            UserName = request.Email,
            Email = request.Email,
            EmailConfirmed = true,
            DisplayName = string.IsNullOrWhiteSpace(request.DisplayName) ? null : request.DisplayName.Trim(),
            IsAdmin = request.IsAdmin ?? false,
            CreatedAt = Now,
        };
        var result = request.Password is null ? await users.CreateAsync(user) : await users.CreateAsync(user, request.Password);
        if (!result.Succeeded)
            return new ServiceResult<UserResponse>.Invalid(new()
            {
                [result.Errors.Any(e => e.Code.StartsWith("Password", StringComparison.Ordinal)) ? "password" : "email"] =
                    result.Errors.Select(e => e.Description).ToArray(),
            });
        return ToResponse(user);
    }

    public async Task<List<CompanyTreeResponse>> CompaniesForAsync(CurrentUser user, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var roles = await db.Memberships.Where(m => m.UserId == user.Id).ToDictionaryAsync(m => m.ProjectId, m => m.Role, cancellationToken);
        var projects = db.Projects.AsNoTracking();
        if (!user.SeesEverything) projects = projects.Where(p => roles.Keys.Contains(p.Id));
        var rows = await projects.Include(p => p.Company).OrderBy(p => p.Company!.Name).ThenBy(p => p.Name).ToListAsync(cancellationToken);
        return rows.GroupBy(p => p.CompanyId)
            .Select(g => new CompanyTreeResponse(g.Key, g.First().Company!.Name,
                g.Select(p => new ProjectBrief(p.Id, p.Name, roles.TryGetValue(p.Id, out var r) ? RoleName(r) : null)).ToList()))
            .ToList();
    }

    public static UserResponse ToResponse(AppUser user) => new(user.Id, user.Email!, user.DisplayName, user.IsAdmin, user.CreatedAt);

    public static string RoleName(ProjectRole role) => role == ProjectRole.Admin ? "admin" : "member";

    /// <summary>
    /// Only the two names: Enum.TryParse also took "1", "999" and "Member, Admin", and stored a role that does not exist.
    /// </summary>
    private static ProjectRole? ParseRole(string? role) => role?.ToLowerInvariant() switch
    {
        null or "member" => ProjectRole.Member,
        "admin" => ProjectRole.Admin,
        _ => null,
    };

    private static bool IsEmail(string? email) =>
        !string.IsNullOrWhiteSpace(email) && email.Length <= Limits.Email &&
        System.Net.Mail.MailAddress.TryCreate(email, out var parsed) && parsed.Address == email;

    private static void CheckId(string id, string field, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(id) || id.Length > Limits.ExternalId)
            errors[field] = [$"The id must be 1 to {Limits.ExternalId} characters."];
    }

    private static void CheckName(string? name, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(name)) errors["name"] = ["The name is required."];
        else if (name.Length > Limits.Name) errors["name"] = [$"The name must be at most {Limits.Name} characters; this one has {name.Length}."];
    }

    private DateTime Now => time.GetUtcNow().UtcDateTime;
}
