using System.Net;
using Microsoft.Playwright;
using WebhookAdmin.Tests.Infrastructure;
using WebhookAdmin.Tests.Ui.Infrastructure;

namespace WebhookAdmin.Tests.Ui.Browser;

[Collection(BrowserCollection.Name)]
public sealed class AccessTests(BrowserFixture browser) : WorldTests(WorldOptions.Default with { Organization = SeedProject.Website })
{
    private string _aliceWebhook = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        await UiUsers.CreateAsync(Admin, "alice@example.com", "Alice");
        await UiUsers.CreateAsync(Admin, "bob@example.com", "Bob");
        await Admin.MemberAsync("acme-web", "alice@example.com");
        await Admin.MemberAsync("acme-web", "bob@example.com");
        var aliceToken = await Admin.TokenForAsync("alice@example.com", "webhooks");
        var created = await App.Api(aliceToken).PostOk("/api/v1/webhooks",
            new { url = "https://alice.example.com/secret-crm-endpoint", name = "Alice private CRM" }, HttpStatusCode.Created);
        _aliceWebhook = created.Str("id");
    }

    [Fact]
    public async Task Another_users_webhook_opened_by_its_address_says_not_found_and_shows_nothing_of_it()
    {
        await using var ui = await UiSession.StartAsync(browser, App);
        await ui.SignInAsync("bob@example.com", UiUsers.Password);

        foreach (var path in new[] { $"/webhooks/{_aliceWebhook}", $"/webhooks/{_aliceWebhook}/edit" })
        {
            await ui.GotoAsync(path);
            await Assertions.Expect(ui.TestId("webhook-not-found")).ToBeVisibleAsync();
            var html = await ui.Page.ContentAsync();
            Assert.DoesNotContain("Alice private CRM", html);
            Assert.DoesNotContain("secret-crm-endpoint", html);
        }

        await ui.GotoAsync("/webhooks");
        await Assertions.Expect(ui.TestId("empty-state")).ToBeVisibleAsync();
        Assert.DoesNotContain("Alice private CRM", await ui.Page.ContentAsync());
        ui.AssertNoErrors();
    }

    [Fact]
    public async Task The_owner_and_an_administrator_do_see_it()
    {
        await using var owner = await UiSession.StartAsync(browser, App);
        await owner.SignInAsync("alice@example.com", UiUsers.Password, $"/webhooks/{_aliceWebhook}");
        await Assertions.Expect(owner.TestId("webhook-name")).ToHaveTextAsync("Alice private CRM");
        owner.AssertNoErrors();

        await using var admin = await UiSession.StartAsync(browser, App);
        await admin.SignInAsync(TestApp.AdminEmail, TestApp.AdminPassword, "/webhooks");
        await Assertions.Expect(admin.TestId("webhook-grid")).ToContainTextAsync("Alice private CRM");
        admin.AssertNoErrors();
    }
}
