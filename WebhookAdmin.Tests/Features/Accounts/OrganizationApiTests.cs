using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using WebhookAdmin.Data;
using WebhookAdmin.Tests.Api;
using WebhookAdmin.Tests.Infrastructure;

namespace WebhookAdmin.Tests.Features.Accounts;

/// <summary>
/// The directory the host platform keeps in sync (contract, section 3): idempotent upserts of companies,
/// projects and members, and <c>GET /companies</c> showing each caller their own part of it.
/// </summary>
public sealed class OrganizationApiTests(ApiWorld world) : IClassFixture<ApiWorld>, IDisposable
{
    public void Dispose() => world.ServerErrors.AssertNone();

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    [Fact]
    public async Task Putting_a_company_twice_creates_it_once_and_the_second_put_renames_it()
    {
        var id = Unique("co");
        var rowsBefore = await world.App.RowsAsync();

        var first = await world.Admin.PutOk($"/api/v1/companies/{id}", new { name = "First name" });
        var second = await world.Admin.PutOk($"/api/v1/companies/{id}", new { name = "  Second name  " });

        Assert.Equal(id, second.Str("id"));
        Assert.Equal("First name", first.Str("name"));
        Assert.Equal("Second name", second.Str("name"));
        Assert.Equal(first.Str("createdAt"), second.Str("createdAt"));
        Assert.Equal(rowsBefore.Companies + 1, (await world.App.RowsAsync()).Companies);
    }

    [Fact]
    public async Task A_project_of_an_unknown_company_answers_422_naming_companyId_and_works_once_the_company_exists()
    {
        var company = Unique("co");
        var project = Unique("pr");
        var rowsBefore = await world.App.RowsAsync();

        using var refused = await world.Admin.PutAsJsonAsync($"/api/v1/projects/{project}", new { companyId = company, name = "Launch" }, Test.Ct);
        var problem = await refused.AssertProblemAsync(422, "companyId");
        Assert.Contains(company, problem.ErrorText());
        Assert.Equal(rowsBefore, await world.App.RowsAsync());

        await world.Admin.CompanyAsync(company, "Now it exists");
        var created = await world.Admin.PutOk($"/api/v1/projects/{project}", new { companyId = company, name = "Launch" });
        Assert.Equal(company, created.Str("companyId"));
    }

    [Fact]
    public async Task Putting_a_project_again_updates_it_in_place_and_can_move_it_to_another_company()
    {
        var (from, to, project) = (Unique("co"), Unique("co"), Unique("pr"));
        await world.Admin.CompanyAsync(from, "From");
        await world.Admin.CompanyAsync(to, "To");
        var first = await world.Admin.PutOk($"/api/v1/projects/{project}", new { companyId = from, name = "Old" });
        var rowsBetween = await world.App.RowsAsync();

        var moved = await world.Admin.PutOk($"/api/v1/projects/{project}", new { companyId = to, name = "New" });

        Assert.Equal((to, "New", first.Str("createdAt")), (moved.Str("companyId"), moved.Str("name"), moved.Str("createdAt")));
        Assert.Equal(rowsBetween, await world.App.RowsAsync());
    }

    [Fact]
    public async Task Putting_a_member_creates_the_user_without_a_password_and_a_second_put_only_changes_the_role()
    {
        var project = await NewProjectAsync();
        var email = $"{Unique("new")}@directory.test";
        var rowsBefore = await world.App.RowsAsync();

        var added = await world.Admin.PutOk($"/api/v1/projects/{project}/members/{email}", new { role = "member" });
        var promoted = await world.Admin.PutOk($"/api/v1/projects/{project}/members/{email}", new { role = "admin" });

        Assert.Equal((project, email, "member"), (added.Str("projectId"), added.Str("email"), added.Str("role")));
        Assert.Equal(added.Str("userId"), promoted.Str("userId"));
        Assert.Equal("admin", promoted.Str("role"));
        Assert.Equal(rowsBefore with { Users = rowsBefore.Users + 1, Memberships = rowsBefore.Memberships + 1 }, await world.App.RowsAsync());

        await using var db = await world.App.Service<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(Test.Ct);
        var user = await db.Users.SingleAsync(u => u.Email == email, Test.Ct);
        Assert.Null(user.PasswordHash);
        Assert.False(user.IsAdmin);

        // The new user's view of the directory shows the project with the role just given.
        var token = await world.Admin.TokenForAsync(email, "webhooks");
        var companies = await world.As(token).GetOk("/api/v1/companies");
        var brief = Assert.Single(Assert.Single(companies.EnumerateArray()).GetProperty("projects").EnumerateArray());
        Assert.Equal((project, "admin"), (brief.Str("id"), brief.Str("role")));
    }

    [Fact]
    public async Task A_member_without_a_role_becomes_a_member()
    {
        var project = await NewProjectAsync();
        var email = $"{Unique("plain")}@directory.test";
        using var response = await world.Admin.PutAsync($"/api/v1/projects/{project}/members/{email}", null, Test.Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("member", (await response.JsonAsync()).Str("role"));
    }

    [Fact]
    public async Task A_member_of_an_unknown_project_answers_404_and_creates_no_user()
    {
        var rowsBefore = await world.App.RowsAsync();
        using var response = await world.Admin.PutAsJsonAsync($"/api/v1/projects/{Unique("nope")}/members/ghost@directory.test", new { role = "member" }, Test.Ct);
        await response.AssertProblemAsync(404);
        Assert.Equal(rowsBefore, await world.App.RowsAsync());
    }

    [Fact]
    public async Task Removing_a_member_answers_204_every_time_and_removes_only_that_membership()
    {
        var project = await NewProjectAsync();
        var other = await NewProjectAsync();
        var email = $"{Unique("leaver")}@directory.test";
        await world.Admin.MemberAsync(project, email);
        await world.Admin.MemberAsync(other, email);
        var rowsBefore = await world.App.RowsAsync();

        foreach (var _ in new[] { 1, 2 })
        {
            using var response = await world.Admin.DeleteAsync($"/api/v1/projects/{project}/members/{email}", Test.Ct);
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        }
        using var unknownUser = await world.Admin.DeleteAsync($"/api/v1/projects/{project}/members/nobody@directory.test", Test.Ct);
        Assert.Equal(HttpStatusCode.NoContent, unknownUser.StatusCode);

        Assert.Equal(rowsBefore with { Memberships = rowsBefore.Memberships - 1 }, await world.App.RowsAsync());
        var token = await world.Admin.TokenForAsync(email, "webhooks");
        var projects = (await world.As(token).GetOk("/api/v1/companies")).EnumerateArray().SelectMany(c => c.GetProperty("projects").EnumerateArray()).Select(p => p.Str("id"));
        Assert.Equal([other], projects);
    }

    [Fact]
    public async Task Companies_shows_a_user_only_the_projects_they_belong_to_and_the_admin_scope_shows_all()
    {
        var (acme, globex) = (Unique("co"), Unique("co"));
        await world.Admin.CompanyAsync(acme, "Acme " + acme);
        await world.Admin.CompanyAsync(globex, "Globex " + globex);
        var (mine, notMine, otherCompany) = (Unique("pr"), Unique("pr"), Unique("pr"));
        await world.Admin.ProjectAsync(mine, acme);
        await world.Admin.ProjectAsync(notMine, acme);
        await world.Admin.ProjectAsync(otherCompany, globex);
        var email = $"{Unique("viewer")}@directory.test";
        await world.Admin.MemberAsync(mine, email);

        foreach (var scope in new[] { "webhooks", "events:publish" })
        {
            var token = await world.Admin.TokenForAsync(email, scope);
            var tree = await world.As(token).GetOk("/api/v1/companies");
            var company = Assert.Single(tree.EnumerateArray());
            Assert.Equal(acme, company.Str("id"));
            Assert.Equal([mine], company.GetProperty("projects").EnumerateArray().Select(p => p.Str("id")));
        }

        var everything = (await world.Admin.GetOk("/api/v1/companies")).EnumerateArray()
            .SelectMany(c => c.GetProperty("projects").EnumerateArray().Select(p => (c.Str("id"), p.Str("id")))).ToList();
        Assert.Contains((acme, mine), everything);
        Assert.Contains((acme, notMine), everything);
        Assert.Contains((globex, otherCompany), everything);

        // The administrator through a token without the admin scope sees their own memberships only.
        var ownOnly = (await world.As(world.AdminWithoutAdminScopeToken).GetOk("/api/v1/companies")).EnumerateArray()
            .SelectMany(c => c.GetProperty("projects").EnumerateArray().Select(p => p.Str("id"))).ToList();
        Assert.DoesNotContain(mine, ownOnly);
        Assert.Contains(ApiWorld.Project, ownOnly);
    }

    [Fact]
    public async Task Creating_a_user_answers_201_and_the_same_email_again_409()
    {
        var email = $"{Unique("user")}@directory.test";
        var created = await world.Admin.PostOk("/api/v1/users", new { email, password = "Str0ng!pass", displayName = "Dana" }, HttpStatusCode.Created);
        Assert.Equal((email, "Dana", false), (created.Str("email"), created.Str("displayName"), created.GetProperty("isAdmin").GetBoolean()));

        var rowsBefore = await world.App.RowsAsync();
        using var again = await world.Admin.PostAsJsonAsync("/api/v1/users", new { email }, Test.Ct);
        await again.AssertProblemAsync(409);
        Assert.Equal(rowsBefore, await world.App.RowsAsync());
    }

    private async Task<string> NewProjectAsync()
    {
        var (company, project) = (Unique("co"), Unique("pr"));
        await world.Admin.CompanyAsync(company, company);
        await world.Admin.ProjectAsync(project, company);
        return project;
    }
}
