using Microsoft.EntityFrameworkCore;
using WebhookAdmin.Data;
using WebhookAdmin.Features.Common;

namespace WebhookAdmin.Features.Accounts;

public sealed record UserRow(string Id, string Email, string? DisplayName, bool IsAdmin, bool CanSignIn, int Projects, DateTime CreatedAt);
public sealed record CompanyRow(string Id, string Name, int Projects, DateTime CreatedAt, IReadOnlyList<ProjectLink> FirstProjects);
public sealed record ProjectLink(string Id, string Name);
public sealed record ProjectRow(string Id, string CompanyId, string CompanyName, string Name, int Members, DateTime CreatedAt);
public sealed record MemberRow(string UserId, string Email, string? DisplayName, string Role, DateTime Since);

/// <summary>
/// What the organization pages read (administrators only: the pages check <see cref="CurrentUser.IsAdmin"/> before calling).
/// Writes stay in <see cref="OrganizationService"/>, shared with the API.
/// </summary>
public sealed class OrganizationQueries(IDbContextFactory<AppDbContext> dbFactory)
{
    /// <summary>Projects named in a company's line of the list; the company's page has them all.</summary>
    public const int ListedProjects = 5;

    public async Task<Paged<UserRow>> UsersAsync(string? search, PageRequest page, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var users = db.Users.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(search))
        {
            var term = LikePattern.Containing(search.Trim());
            users = users.Where(u => EF.Functions.Like(u.Email!, term, LikePattern.Escape)
                                     || EF.Functions.Like(u.DisplayName!, term, LikePattern.Escape));
        }
        var total = await users.CountAsync(cancellationToken);
        var items = await users.OrderBy(u => u.Email).Skip(page.Skip).Take(page.Take)
            .Select(u => new UserRow(u.Id, u.Email!, u.DisplayName, u.IsAdmin, u.PasswordHash != null,
                db.Memberships.Count(m => m.UserId == u.Id), u.CreatedAt))
            .ToListAsync(cancellationToken);
        return new Paged<UserRow>(items, PageInfo.For(total, page));
    }

    public async Task<Paged<CompanyRow>> CompaniesAsync(string? search, PageRequest page, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var companies = db.Companies.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(search))
        {
            var term = LikePattern.Containing(search.Trim());
            companies = companies.Where(c => EF.Functions.Like(c.Name, term, LikePattern.Escape)
                                             || EF.Functions.Like(c.Id, term, LikePattern.Escape));
        }
        var total = await companies.CountAsync(cancellationToken);
        var items = await companies.OrderBy(c => c.Name).ThenBy(c => c.Id).Skip(page.Skip).Take(page.Take)
            .Select(c => new CompanyRow(c.Id, c.Name, c.Projects.Count, c.CreatedAt,
                c.Projects.OrderBy(p => p.Name).Take(ListedProjects).Select(p => new ProjectLink(p.Id, p.Name)).ToList()))
            .ToListAsync(cancellationToken);
        return new Paged<CompanyRow>(items, PageInfo.For(total, page));
    }

    public async Task<CompanyRow?> CompanyAsync(string id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Companies.AsNoTracking().Where(c => c.Id == id)
            .Select(c => new CompanyRow(c.Id, c.Name, c.Projects.Count, c.CreatedAt, new List<ProjectLink>()))
            .FirstOrDefaultAsync(cancellationToken);
    }

    public async Task<Paged<ProjectRow>> ProjectsAsync(string companyId, PageRequest page, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var projects = db.Projects.AsNoTracking().Where(p => p.CompanyId == companyId);
        var total = await projects.CountAsync(cancellationToken);
        var items = await Rows(db, projects.OrderBy(p => p.Name).ThenBy(p => p.Id).Skip(page.Skip).Take(page.Take)).ToListAsync(cancellationToken);
        return new Paged<ProjectRow>(items, PageInfo.For(total, page));
    }

    public async Task<ProjectRow?> ProjectAsync(string id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await Rows(db, db.Projects.AsNoTracking().Where(p => p.Id == id)).FirstOrDefaultAsync(cancellationToken);
    }

    public async Task<Paged<MemberRow>> MembersAsync(string projectId, PageRequest page, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var members = db.Memberships.AsNoTracking().Where(m => m.ProjectId == projectId);
        var total = await members.CountAsync(cancellationToken);
        var rows = await members.OrderBy(m => m.User!.Email).Skip(page.Skip).Take(page.Take)
            .Select(m => new { m.UserId, m.User!.Email, m.User.DisplayName, m.Role, m.CreatedAt })
            .ToListAsync(cancellationToken);
        return new Paged<MemberRow>(
            rows.Select(m => new MemberRow(m.UserId, m.Email!, m.DisplayName, OrganizationService.RoleName(m.Role), m.CreatedAt)).ToList(),
            PageInfo.For(total, page));
    }

    /// <summary>Ids are caller-chosen and a PUT on a taken one renames it: the pages check before creating.</summary>
    public async Task<bool> CompanyExistsAsync(string id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Companies.AnyAsync(c => c.Id == id, cancellationToken);
    }

    public async Task<bool> ProjectExistsAsync(string id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Projects.AnyAsync(p => p.Id == id, cancellationToken);
    }

    // Filter and page first: EF cannot translate a Where on the projected record.
    private static IQueryable<ProjectRow> Rows(AppDbContext db, IQueryable<Project> projects) =>
        projects.Select(p => new ProjectRow(p.Id, p.CompanyId, p.Company!.Name, p.Name,
            db.Memberships.Count(m => m.ProjectId == p.Id), p.CreatedAt));
}
