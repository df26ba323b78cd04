using Microsoft.EntityFrameworkCore;
using WebhookAdmin.Data;
using WebhookAdmin.Features.Accounts;

namespace WebhookAdmin.Hosting;

/// <summary>
/// Two companies with two projects each and two non-admin users, so a newcomer can build a webhook that
/// spans companies right away. Seeded once (when no company exists yet).
/// </summary>
public static class DemoData
{
    public const string DemoPassword = "ChangeMe!123";

    public static async Task SeedAsync(IDbContextFactory<AppDbContext> dbFactory, OrganizationService organization, AppUser admin, CancellationToken cancellationToken)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
            if (await db.Companies.AnyAsync(cancellationToken)) return;

        (string Id, string Name, (string Id, string Name)[] Projects)[] companies =
        [
            ("acme", "Acme Corp", [("acme-website", "Website relaunch"), ("acme-mobile", "Mobile app")]),
            ("globex", "Globex", [("globex-onboarding", "Customer onboarding"), ("globex-q4", "Q4 campaign")]),
        ];
        foreach (var company in companies)
        {
            await organization.PutCompanyAsync(company.Id, new PutCompanyRequest(company.Name), cancellationToken);
            foreach (var project in company.Projects)
            {
                await organization.PutProjectAsync(project.Id, new PutProjectRequest(company.Id, project.Name), cancellationToken);
                await organization.PutMemberAsync(project.Id, admin.Email!, new PutMemberRequest("admin"), cancellationToken);
            }
        }

        await organization.CreateUserAsync(new CreateUserRequest("alice@example.com", DemoPassword, "Alice Martins", false), cancellationToken);
        await organization.CreateUserAsync(new CreateUserRequest("bob@example.com", DemoPassword, "Bob Chen", false), cancellationToken);
        await organization.PutMemberAsync("acme-website", "alice@example.com", new PutMemberRequest("member"), cancellationToken);
        await organization.PutMemberAsync("globex-onboarding", "alice@example.com", new PutMemberRequest("member"), cancellationToken);
        await organization.PutMemberAsync("acme-mobile", "bob@example.com", new PutMemberRequest("member"), cancellationToken);
    }
}
