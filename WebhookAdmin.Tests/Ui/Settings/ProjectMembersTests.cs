using System.Net;
using Bunit;
using WebhookAdmin.Features.Accounts;
using WebhookAdmin.Features.Settings.Pages;
using WebhookAdmin.Tests.Api;
using WebhookAdmin.Tests.Infrastructure;
using WebhookAdmin.Tests.Ui.Infrastructure;

namespace WebhookAdmin.Tests.Ui.Settings;

/// <summary>A project's members page on the real organization and engine: what it changes is what matching sees, at once.</summary>
public sealed class ProjectMembersTests : IAsyncLifetime
{
    private const string Dana = "dana@example.com";
    // A clock that stands still: the subscription index never ages out, so only its invalidation can make a removal count.
    private readonly TestApp _app = new(time: new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow));
    private HttpClient _admin = null!;
    private SettingsUi _ui = null!;

    public async ValueTask InitializeAsync()
    {
        _admin = _app.Api();
        await _admin.CompanyAsync("acme", "Acme Corp");
        await _admin.ProjectAsync("acme-web", "acme", "Website relaunch");
        await UiUsers.CreateAsync(_admin, Dana, "Dana");
        // Dana's webhook listens to every project she belongs to: membership alone decides what it receives.
        var token = await _admin.TokenForAsync(Dana, "webhooks");
        await _app.Api(token).PostOk("/api/v1/webhooks", new { url = "http://127.0.0.1:9/hook", name = "Dana CRM" }, HttpStatusCode.Created);
        _ui = await SettingsUi.SignInAsync(_app, TestApp.AdminEmail);
    }

    public async ValueTask DisposeAsync()
    {
        await _ui.DisposeAsync();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task Adding_a_member_by_email_with_a_role_makes_their_webhook_receive_the_projects_events()
    {
        Assert.Equal(0, await PublishAsync());
        var page = _ui.Render<ProjectMembers>(p => p.Add(x => x.ProjectId, "acme-web"));
        page.WaitForElement("[data-testid=empty-state]");
        page.Find("input[data-testid=member-email]").Input(Dana);
        page.Find("[data-testid=member-role] [data-role=admin]").Click();
        page.Find("[data-testid=add-member]").Click();

        page.WaitForElement($"[data-member='{Dana}']");
        var member = (await Members()).Single();
        Assert.Equal((Dana, "admin"), (member.Email, member.Role));
        Assert.Equal(1, await PublishAsync());
    }

    [Fact]
    public async Task A_member_removed_on_the_page_gets_no_event_published_afterwards()
    {
        await _admin.MemberAsync("acme-web", Dana);
        Assert.Equal(1, await PublishAsync());

        var page = _ui.Render<ProjectMembers>(p => p.Add(x => x.ProjectId, "acme-web"));
        page.WaitForElement("[data-testid=remove-member]").Click();
        _ui.Dialogs.WaitForElement("[data-testid=confirm-dialog]");
        Assert.Contains($"{Dana} leaves Website relaunch: their webhooks stop receiving its events at once.", _ui.Dialogs.Markup);
        _ui.Dialogs.Find("[data-testid=confirm-ok]").Click();

        page.WaitForElement("[data-testid=empty-state]");
        Assert.Empty(await Members());
        // The clock has not moved since the index loaded: only the invalidation can make this 0.
        Assert.Equal(0, await PublishAsync());
    }

    [Fact]
    public async Task Changing_a_role_saves_it_and_cancelling_a_removal_keeps_the_member()
    {
        await _admin.MemberAsync("acme-web", Dana);
        var page = _ui.Render<ProjectMembers>(p => p.Add(x => x.ProjectId, "acme-web"));
        page.WaitForElement($"[data-testid='role-{Dana}'] [data-role=admin]").Click();
        await Eventually.ReturnsAsync(Members, m => m.Single().Role == "admin", "the new role");

        page.Find("[data-testid=remove-member]").Click();
        _ui.Dialogs.WaitForElement("[data-testid=confirm-cancel]").Click();
        _ui.Dialogs.WaitForAssertion(() => Assert.Empty(_ui.Dialogs.FindAll("[data-testid=confirm-dialog]")));
        Assert.Single(await Members());
        Assert.Equal(1, await PublishAsync());
    }

    [Fact]
    public async Task Opening_another_project_on_the_same_page_shows_that_projects_members()
    {
        await _admin.MemberAsync("acme-web", Dana);
        await _admin.ProjectAsync("acme-mobile", "acme", "Mobile app");
        var page = _ui.Render<ProjectMembers>(p => p.Add(x => x.ProjectId, "acme-web"));
        page.WaitForElement($"[data-member='{Dana}']");

        page.Render(p => p.Add(x => x.ProjectId, "acme-mobile"));
        page.WaitForAssertion(() => Assert.Equal("Mobile app", page.Find("[data-testid=project-name]").TextContent));
        page.WaitForElement("[data-testid=empty-state]");
        Assert.Empty(page.FindAll("[data-member]"));
    }

    [Fact]
    public void An_unknown_project_says_not_found()
    {
        var page = _ui.Render<ProjectMembers>(p => p.Add(x => x.ProjectId, "no-such-project"));
        page.WaitForElement("[data-testid=settings-not-found]");
        Assert.Empty(page.FindAll("[data-testid=add-member]"));
    }

    private async Task<IReadOnlyList<MemberRow>> Members() =>
        (await _app.Service<OrganizationQueries>().MembersAsync("acme-web", new(0, 50), Test.Ct)).Items;

    private async Task<int> PublishAsync()
    {
        var answer = await _admin.PostOk("/api/v1/events", new { @event = "TODO_CREATED", projectId = "acme-web" }, HttpStatusCode.Accepted);
        return answer.GetProperty("deliveries").GetInt32();
    }
}
