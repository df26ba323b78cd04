using WebhookAdmin.Tests.Infrastructure;

namespace WebhookAdmin.Tests.Ui.Infrastructure;

/// <summary>
/// The organization the screenshots and the accessibility checks show: two companies with two projects each, the
/// administrator an admin member of all four, and a receiver whose /billing is retired (410), /inventory failing (503).
/// </summary>
public static class ShowcaseOrganization
{
    public static async Task SeedAsync(HttpClient admin, TestReceiver receiver)
    {
        receiver.Respond(request => request.Path switch
        {
            "/billing" => new ReceiverAnswer(410, "This endpoint was retired"),
            "/inventory" => ReceiverAnswer.Fail(503),
            _ => new ReceiverAnswer(200, """{"received":true}"""),
        });
        await admin.CompanyAsync("acme", "Acme Corp");
        await admin.CompanyAsync("globex", "Globex");
        foreach (var (id, company, name) in new[]
                 {
                     ("acme-web", "acme", "Website relaunch"), ("acme-mobile", "acme", "Mobile app"),
                     ("globex-onb", "globex", "Customer onboarding"), ("globex-q4", "globex", "Q4 campaign"),
                 })
        {
            await admin.ProjectAsync(id, company, name);
            await admin.MemberAsync(id, TestApp.AdminEmail, "admin");
        }
    }
}
