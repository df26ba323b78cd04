using System.Net;
using Microsoft.Playwright;
using WebhookAdmin.Tests.Infrastructure;
using WebhookAdmin.Tests.Ui.Infrastructure;

namespace WebhookAdmin.Tests.Ui.Browser;

/// <summary>The settings pages in Chromium against the real app and its real API.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SettingsTests(BrowserFixture browser) : IAsyncLifetime
{
    private const string Dana = "dana@example.com";
    private readonly TestApp _app = new();
    private HttpClient _admin = null!;

    public async ValueTask InitializeAsync()
    {
        _admin = _app.Api();
        await UiUsers.CreateAsync(_admin, Dana, "Dana Lima");
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_token_created_and_copied_on_the_page_works_against_the_api_until_it_is_revoked()
    {
        await using var ui = await UiSession.StartAsync(browser, _app);
        await ui.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"], new BrowserContextGrantPermissionsOptions { Origin = _app.BaseAddress.GetLeftPart(UriPartial.Authority) });
        await ui.SignInAsync(Dana, UiUsers.Password);
        await ui.Page.Locator(".app-nav a[href='/settings']").ClickAsync();
        await ui.WaitForPathAsync(p => p == "/settings/tokens");

        await ui.TestId("new-token").ClickAsync();
        await Assertions.Expect(ui.Page.Locator("input[data-scope]")).ToHaveCountAsync(2);
        await ui.Field("token-name-field").FillAsync("CRM sync");
        await ui.TestId("create-token").ClickAsync();
        await Assertions.Expect(ui.TestId("token-value")).ToBeVisibleAsync();
        await Assertions.Expect(ui.TestId("token-once")).ToContainTextAsync("you will not see it again");

        await ui.TestId("token-copy").ClickAsync();
        await Assertions.Expect(ui.Page.Locator(".mud-snackbar", new PageLocatorOptions { HasText = "Copied to the clipboard." })).ToBeVisibleAsync();
        var token = await ui.Page.EvaluateAsync<string>("navigator.clipboard.readText()");
        Assert.Equal(await ui.TestId("token-value").InnerTextAsync(), token);
        await ui.TestId("token-done").ClickAsync();
        // The list was reloaded before the dialog opened: wait for the dialog itself to be gone.
        await Assertions.Expect(ui.TestId("token-created-dialog")).ToHaveCountAsync(0);
        await Assertions.Expect(ui.TestId("token-name")).ToHaveTextAsync("CRM sync");
        Assert.DoesNotContain(token, await ui.Page.ContentAsync());

        using var api = _app.Api(token);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/webhooks", Xunit.TestContext.Current.CancellationToken)).StatusCode);

        await ui.TestId("revoke").ClickAsync();
        await Assertions.Expect(ui.TestId("confirm-dialog")).ToContainTextAsync("Programs using \"CRM sync\"");
        await ui.TestId("confirm-ok").ClickAsync();
        await Assertions.Expect(ui.Page.Locator(".mud-snackbar", new PageLocatorOptions { HasText = "CRM sync was revoked." })).ToBeVisibleAsync();
        await Assertions.Expect(ui.TestId("empty-state")).ToBeVisibleAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/api/v1/webhooks", Xunit.TestContext.Current.CancellationToken)).StatusCode);
        ui.AssertNoErrors();
    }

    [Fact]
    public async Task An_administrator_creates_a_company_a_project_and_adds_a_member_who_then_sees_the_project()
    {
        await using var ui = await UiSession.StartAsync(browser, _app);
        await ui.SignInAsync(TestApp.AdminEmail, TestApp.AdminPassword, "/settings/tokens");
        await ui.TestId("tab-companies").ClickAsync();
        await ui.WaitForPathAsync(p => p == "/settings/companies");

        await ui.TestId("new-company").ClickAsync();
        await ui.Field("name-field").FillAsync("Initech Brasil");
        await Assertions.Expect(ui.Field("id-field")).ToHaveValueAsync("initech-brasil");
        await ui.TestId("name-save").ClickAsync();
        await ui.WaitForPathAsync(p => p == "/settings/companies/initech-brasil");
        await Assertions.Expect(ui.TestId("company-name")).ToHaveTextAsync("Initech Brasil");

        await ui.TestId("new-project").ClickAsync();
        await ui.Field("name-field").FillAsync("TPS reports");
        await Assertions.Expect(ui.Field("id-field")).ToHaveValueAsync("tps-reports");
        await ui.TestId("name-save").ClickAsync();
        await ui.WaitForPathAsync(p => p == "/settings/projects/tps-reports");
        await Assertions.Expect(ui.TestId("project-name")).ToHaveTextAsync("TPS reports");

        await ui.Field("member-email").FillAsync(Dana);
        await ui.TestId("add-member").ClickAsync();
        await Assertions.Expect(ui.Page.Locator(".mud-snackbar", new PageLocatorOptions { HasText = $"{Dana} is now a member of TPS reports." })).ToBeVisibleAsync();
        await Assertions.Expect(ui.Page.Locator($"[data-member='{Dana}']")).ToBeVisibleAsync();

        var danaToken = await _admin.TokenForAsync(Dana, "webhooks");
        var companies = await _app.Api(danaToken).GetOk("/api/v1/companies");
        var company = Assert.Single(companies.EnumerateArray());
        Assert.Equal(("initech-brasil", "Initech Brasil"), (company.Str("id"), company.Str("name")));
        Assert.Equal("tps-reports", Assert.Single(company.GetProperty("projects").EnumerateArray()).Str("id"));
        ui.AssertNoErrors();
    }

    [Fact]
    public async Task A_person_who_is_not_an_administrator_sees_no_directory_tabs_and_gets_not_found_by_address()
    {
        await _admin.CompanyAsync("acme", "Acme Corp");
        await _admin.ProjectAsync("acme-web", "acme", "Website relaunch");
        await using var ui = await UiSession.StartAsync(browser, _app);
        await ui.SignInAsync(Dana, UiUsers.Password, "/settings");
        await ui.WaitForPathAsync(p => p == "/settings/tokens");
        await Assertions.Expect(ui.TestId("tab-tokens")).ToBeVisibleAsync();
        await Assertions.Expect(ui.TestId("tab-users")).ToHaveCountAsync(0);

        foreach (var path in new[] { "/settings/users", "/settings/companies", "/settings/companies/acme", "/settings/projects/acme-web" })
        {
            await ui.GotoAsync(path);
            await Assertions.Expect(ui.TestId("settings-not-found")).ToBeVisibleAsync();
            var html = await ui.Page.ContentAsync();
            Assert.DoesNotContain("Acme Corp", html);
            Assert.DoesNotContain(TestApp.AdminEmail, html);
        }
        ui.AssertNoErrors();
    }
}
