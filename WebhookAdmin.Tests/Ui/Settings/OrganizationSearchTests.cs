using Bunit;
using WebhookAdmin.Features.Settings.Pages;
using WebhookAdmin.Tests.Infrastructure;
using WebhookAdmin.Tests.Ui.Infrastructure;

namespace WebhookAdmin.Tests.Ui.Settings;

/// <summary>The searches of the people and companies lists: a percent sign or an underscore is a character, not a wildcard.</summary>
public sealed class OrganizationSearchTests : IAsyncLifetime
{
    private readonly TestApp _app = new();
    private SettingsUi _ui = null!;

    public async ValueTask InitializeAsync()
    {
        var admin = _app.Api();
        await admin.CompanyAsync("labs", "100% Labs");
        await admin.CompanyAsync("pixels", "1000 Pixels");
        await UiUsers.CreateAsync(admin, "a_b@example.com");
        await UiUsers.CreateAsync(admin, "axb@example.com");
        _ui = await SettingsUi.SignInAsync(_app, TestApp.AdminEmail);
    }

    public async ValueTask DisposeAsync()
    {
        await _ui.DisposeAsync();
        await _app.DisposeAsync();
    }

    [Fact]
    public void A_company_search_with_a_percent_sign_finds_only_names_with_one()
    {
        var page = _ui.Render<CompanySettings>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=company-link]").Count), TimeSpan.FromSeconds(10));

        page.Find("input[data-testid=company-search]").Input("100%");

        page.WaitForAssertion(() => Assert.Equal(["100% Labs"], page.FindAll("[data-testid=company-link]").Select(l => l.TextContent.Trim())),
            TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void A_people_search_with_an_underscore_finds_only_emails_with_one()
    {
        var page = _ui.Render<UserSettings>();
        page.WaitForAssertion(() => Assert.Contains("axb@example.com", page.Find("[data-testid=user-grid]").TextContent), TimeSpan.FromSeconds(10));

        page.Find("input[data-testid=user-search]").Input("a_b");

        page.WaitForAssertion(() =>
        {
            var grid = page.Find("[data-testid=user-grid]").TextContent;
            Assert.Contains("a_b@example.com", grid);
            Assert.DoesNotContain("axb@example.com", grid);
        }, TimeSpan.FromSeconds(10));
    }
}
