using Microsoft.Playwright;
using WebhookAdmin.Tests.Infrastructure;
using WebhookAdmin.Tests.Ui.Infrastructure;

namespace WebhookAdmin.Tests.Ui.Browser;

[Collection(BrowserCollection.Name)]
public sealed class WebhookFormTests(BrowserFixture browser) : WorldTests(
    // Dana's organization, not the administrator's: the form shows the projects of its owner.
    WorldOptions.Default with { Organization = null })
{
    private const string Dana = "dana@example.com";

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        await Admin.CompanyAsync("acme", "Acme Corp");
        await Admin.CompanyAsync("globex", "Globex");
        await Admin.ProjectAsync("acme-web", "acme", "Website relaunch");
        await Admin.ProjectAsync("acme-mobile", "acme", "Mobile app");
        await Admin.ProjectAsync("globex-onb", "globex", "Customer onboarding");
        await UiUsers.CreateAsync(Admin, Dana, "Dana Lima");
        foreach (var project in new[] { "acme-web", "acme-mobile", "globex-onb" })
            await Admin.MemberAsync(project, Dana);
    }

    [Fact]
    public async Task A_webhook_for_three_events_and_two_projects_of_two_companies_is_created_shown_with_its_secret_once_and_listed()
    {
        await using var ui = await UiSession.StartAsync(browser, App);
        await ui.SignInAsync(Dana, UiUsers.Password, "/webhooks");
        await ui.TestId("new-webhook").ClickAsync();
        await ui.WaitForPathAsync(p => p == "/webhooks/new");

        var url = Receiver.UrlFor("/crm");
        await ui.Field("url").FillAsync(url);
        await ui.Field("name").FillAsync("CRM sync");
        await ui.TestId("events-choose").ClickAsync();
        foreach (var type in new[] { "TODO_CREATED", "TAG_CREATED", "COMMENT_CREATED" })
            await ui.Page.Locator($"[data-event={type}]").ClickAsync();
        await ui.TestId("projects-choose").ClickAsync();
        await ui.Page.Locator("[data-project=acme-web]").ClickAsync();
        await ui.Page.Locator("[data-project=globex-onb]").ClickAsync();

        await Assertions.Expect(ui.TestId("summary-sentence")).ToHaveTextAsync(
            $"Record created, Tag created and Comment created events from Website relaunch (Acme Corp) and Customer onboarding (Globex) will be sent to {url}.");

        await ui.TestId("save").ClickAsync();
        var secretText = ui.TestId("secret-value");
        await Assertions.Expect(secretText).ToBeVisibleAsync();
        var secret = await secretText.InnerTextAsync();
        Assert.StartsWith("whsec_", secret);
        await Assertions.Expect(ui.TestId("secret-code")).ToContainTextAsync("webhook-signature");

        await ui.TestId("secret-done").ClickAsync();
        await ui.WaitForPathAsync(p => System.Text.RegularExpressions.Regex.IsMatch(p, "^/webhooks/[0-9a-f]{32}$"));
        var id = new Uri(ui.Page.Url).Segments[^1];
        await Assertions.Expect(ui.TestId("webhook-name")).ToHaveTextAsync("CRM sync");
        // Shown once: neither the detail page nor a fresh load of it carries the secret.
        Assert.DoesNotContain(secret, await ui.Page.ContentAsync());
        await ui.GotoAsync($"/webhooks/{id}");
        Assert.DoesNotContain(secret, await ui.Page.ContentAsync());

        // Stored as chosen (read back through the API).
        var stored = await Admin.GetOk($"/api/v1/webhooks/{id}");
        Assert.Equal(["TODO_CREATED", "TAG_CREATED", "COMMENT_CREATED"], stored.GetProperty("events").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["acme-web", "globex-onb"], stored.GetProperty("projectIds").EnumerateArray().Select(e => e.GetString()).Order());
        Assert.Equal(url, stored.Str("url"));

        await ui.GotoAsync("/webhooks");
        var row = ui.Page.Locator("tr", new PageLocatorOptions { Has = ui.Page.GetByText("CRM sync") });
        await Assertions.Expect(row).ToContainTextAsync("Record created, Tag created, Comment created");
        await Assertions.Expect(row).ToContainTextAsync("Website relaunch, Customer onboarding");
        await Assertions.Expect(row.GetByTestId("condition")).ToHaveAttributeAsync("data-condition", "healthy");
        ui.AssertNoErrors();
    }

    [Fact]
    public async Task A_private_address_is_refused_in_plain_words_when_private_networks_are_not_allowed()
    {
        await using var strict = new TestApp(new Dictionary<string, string?> { ["Delivery:AllowPrivateNetworks"] = "false" });
        await UiUsers.CreateAsync(strict.Api(), Dana);
        await using var ui = await UiSession.StartAsync(browser, strict);
        await ui.SignInAsync(Dana, UiUsers.Password, "/webhooks/new");

        await ui.Field("url").FillAsync("http://127.0.0.1:9/hook");
        await ui.Field("name").FocusAsync();
        await Assertions.Expect(ui.FieldControl("url")).ToContainTextAsync("loopback address");

        await ui.Field("url").FillAsync("ftp://example.com/hook");
        await ui.TestId("save").ClickAsync();
        await Assertions.Expect(ui.FieldControl("url")).ToContainTextAsync("Only http and https URLs");
        await Assertions.Expect(ui.TestId("form-error")).ToBeVisibleAsync();
        ui.AssertNoErrors();
    }
}
