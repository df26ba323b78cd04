using Bunit;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using WebhookAdmin.Features.Accounts;
using WebhookAdmin.Features.Settings.Pages;
using WebhookAdmin.Tests.Api;
using WebhookAdmin.Tests.Infrastructure;
using WebhookAdmin.Tests.Ui.Infrastructure;

namespace WebhookAdmin.Tests.Ui.Settings;

/// <summary>The directory forms (ids made from names, new users and Identity's password rules) on the real services.</summary>
public sealed class OrganizationFormTests : IAsyncLifetime
{
    private readonly TestApp _app = new();
    private SettingsUi _ui = null!;

    public async ValueTask InitializeAsync()
    {
        await _app.Api().CompanyAsync("acme", "Acme Corp");
        _ui = await SettingsUi.SignInAsync(_app, TestApp.AdminEmail);
    }

    public async ValueTask DisposeAsync()
    {
        await _ui.DisposeAsync();
        await _app.DisposeAsync();
    }

    [Theory]
    [InlineData("Acme Corp", "acme-corp")]
    [InlineData("  São Paulo — Office #2 ", "sao-paulo-office-2")]
    [InlineData("Ærø!!", "r")]
    [InlineData("???", "")]
    public void An_id_is_made_from_the_name_in_lower_case_letters_digits_and_hyphens(string name, string id)
    {
        Assert.Equal(id, Slugs.From(name));
        if (id.Length > 0) Assert.True(Slugs.IsValid(id));
    }

    [Fact]
    public void A_very_long_name_gives_an_id_that_fits_and_ids_of_another_shape_are_refused()
    {
        var id = Slugs.From(string.Join(' ', Enumerable.Repeat("word", 60)));
        Assert.True(id.Length <= WebhookAdmin.Data.Limits.ExternalId && Slugs.IsValid(id), id);
        Assert.All(["Acme", "acme web", "-acme", "acme-", "acme--web", "acme_web", ""], bad => Assert.False(Slugs.IsValid(bad), bad));
    }

    [Fact]
    public async Task A_new_company_gets_its_id_from_the_name_until_the_id_is_edited()
    {
        var page = _ui.Render<CompanySettings>();
        page.WaitForElement("[data-testid=new-company]").Click();
        var name = _ui.Dialogs.WaitForElement("input[data-testid=name-field]");
        name.Input("Globex Brasil Ltda.");
        _ui.Dialogs.WaitForAssertion(() => Assert.Equal("globex-brasil-ltda", _ui.Dialogs.Find("input[data-testid=id-field]").GetAttribute("value")));

        _ui.Dialogs.Find("input[data-testid=id-field]").Input("globex-br");
        _ui.Dialogs.Find("input[data-testid=name-field]").Input("Globex Brasil");
        Assert.Equal("globex-br", _ui.Dialogs.Find("input[data-testid=id-field]").GetAttribute("value"));
        _ui.Dialogs.Find("[data-testid=name-save]").Click();

        _ui.Dialogs.WaitForAssertion(() => Assert.Empty(_ui.Dialogs.FindAll("[data-testid=name-dialog]")));
        var company = await _app.Service<OrganizationQueries>().CompanyAsync("globex-br", Test.Ct);
        Assert.Equal("Globex Brasil", company?.Name);
        Assert.EndsWith("/settings/companies/globex-br", _ui.Ui.Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>().Uri);
    }

    [Fact]
    public async Task An_id_of_the_wrong_shape_or_already_in_use_is_refused_in_plain_words_and_nothing_is_renamed()
    {
        var page = _ui.Render<CompanySettings>();
        page.WaitForElement("[data-testid=new-company]").Click();
        _ui.Dialogs.WaitForElement("input[data-testid=name-field]").Input("Acme Corp");
        _ui.Dialogs.Find("input[data-testid=id-field]").Input("Acme Corp!");
        _ui.Dialogs.WaitForAssertion(() => Assert.Contains("Use lower-case letters, digits and single hyphens", _ui.Dialogs.Markup));

        // "acme" exists: the API's PUT would rename it, so the form must refuse rather than overwrite.
        _ui.Dialogs.Find("input[data-testid=name-field]").Input("Acme Two");
        _ui.Dialogs.Find("input[data-testid=id-field]").Input("acme");
        _ui.Dialogs.Find("[data-testid=name-save]").Click();
        _ui.Dialogs.WaitForAssertion(() => Assert.Contains("The id \"acme\" is already in use; choose another.", _ui.Dialogs.Markup));
        Assert.Equal("Acme Corp", (await _app.Service<OrganizationQueries>().CompanyAsync("acme", Test.Ct))?.Name);

        _ui.Dialogs.Find("input[data-testid=name-field]").Input("");
        _ui.Dialogs.Find("input[data-testid=id-field]").Input("");
        _ui.Dialogs.Find("[data-testid=name-save]").Click();
        _ui.Dialogs.WaitForAssertion(() => Assert.Contains("Enter a name.", _ui.Dialogs.Markup));
        Assert.Contains("Enter an id, or a name to make one from.", _ui.Dialogs.Markup);
    }

    [Fact]
    public async Task Renaming_a_project_keeps_its_id_and_company()
    {
        await _app.Api().ProjectAsync("acme-web", "acme", "Website");
        var page = _ui.Render<CompanyProjects>(p => p.Add(x => x.CompanyId, "acme"));
        page.WaitForElement("[data-testid=rename-project]").Click();
        Assert.Empty(_ui.Dialogs.WaitForElement("[data-testid=name-dialog]").QuerySelectorAll("input[data-testid=id-field]"));
        _ui.Dialogs.Find("input[data-testid=name-field]").Input("Website relaunch");
        _ui.Dialogs.Find("[data-testid=name-save]").Click();

        page.WaitForAssertion(() => Assert.Equal("Website relaunch", page.Find("[data-testid=project-link]").TextContent));
        var project = await _app.Service<OrganizationQueries>().ProjectAsync("acme-web", Test.Ct);
        Assert.Equal(("acme", "Website relaunch"), (project!.CompanyId, project.Name));
    }

    [Fact]
    public async Task The_password_rules_are_listed_in_plain_words_and_a_password_missing_some_is_refused()
    {
        var page = _ui.Render<UserSettings>();
        page.WaitForElement("[data-testid=new-user]").Click();
        var rules = _ui.Dialogs.WaitForElement("[data-testid=password-rules]");
        Assert.Contains("at least 8 characters", rules.TextContent);
        Assert.Contains("a symbol, such as ! or #", rules.TextContent);

        _ui.Dialogs.Find("input[data-testid=user-email]").Input("erin@example.com");
        _ui.Dialogs.Find("input[data-testid=user-password]").Input("short1");
        _ui.Dialogs.WaitForAssertion(() => Assert.Equal("true", _ui.Dialogs.Find("li[data-rule=Digit]").GetAttribute("data-met")));
        Assert.Equal("false", _ui.Dialogs.Find("li[data-rule=Length]").GetAttribute("data-met"));
        _ui.Dialogs.Find("[data-testid=create-user]").Click();

        _ui.Dialogs.WaitForAssertion(() => Assert.Contains(
            "The password still needs: at least 8 characters; an upper-case letter (A–Z); a symbol, such as ! or #.", _ui.Dialogs.Markup));
        Assert.Null(await FindUserAsync("erin@example.com"));
    }

    [Fact]
    public async Task A_new_user_can_sign_in_with_the_password_given_and_an_email_in_use_is_refused()
    {
        var page = _ui.Render<UserSettings>();
        page.WaitForElement("[data-testid=new-user]").Click();
        _ui.Dialogs.WaitForElement("input[data-testid=user-email]").Input("erin@example.com");
        _ui.Dialogs.Find("input[data-testid=user-display-name]").Input("Erin");
        _ui.Dialogs.Find("input[data-testid=user-password]").Input("Str0ng!pass");
        _ui.Dialogs.Find("[data-testid=create-user]").Click();
        _ui.Dialogs.WaitForAssertion(() => Assert.Empty(_ui.Dialogs.FindAll("[data-testid=create-user-dialog]")));
        page.WaitForAssertion(() => Assert.Contains("erin@example.com", page.Find("[data-testid=user-grid]").TextContent));

        using (var scope = _app.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var erin = await users.FindByEmailAsync("erin@example.com");
            Assert.Equal(("Erin", false), (erin!.DisplayName, erin.IsAdmin));
            Assert.True(await users.CheckPasswordAsync(erin, "Str0ng!pass"));
        }

        page.Find("[data-testid=new-user]").Click();
        _ui.Dialogs.WaitForElement("input[data-testid=user-email]").Input("erin@example.com");
        _ui.Dialogs.Find("input[data-testid=user-password]").Input("Str0ng!pass");
        _ui.Dialogs.Find("[data-testid=create-user]").Click();
        _ui.Dialogs.WaitForAssertion(() => Assert.Contains("Someone already uses erin@example.com.", _ui.Dialogs.Markup));
    }

    [Fact]
    public async Task A_non_administrator_gets_not_found_on_every_directory_page_and_no_directory_tabs()
    {
        await UiUsers.CreateAsync(_app.Api(), "dana@example.com");
        await _app.Api().ProjectAsync("acme-web", "acme", "Website");
        await using var dana = await SettingsUi.SignInAsync(_app, "dana@example.com");

        ShowsNothing(dana.Render<UserSettings>());
        ShowsNothing(dana.Render<CompanySettings>());
        ShowsNothing(dana.Render<CompanyProjects>(p => p.Add(x => x.CompanyId, "acme")));
        ShowsNothing(dana.Render<ProjectMembers>(p => p.Add(x => x.ProjectId, "acme-web")));
        Assert.NotNull(dana.Render<TokenSettings>().Find("[data-testid=tab-tokens]"));
    }

    private static void ShowsNothing<T>(IRenderedComponent<T> page) where T : Microsoft.AspNetCore.Components.IComponent
    {
        page.WaitForElement("[data-testid=settings-not-found]");
        Assert.DoesNotContain("Acme Corp", page.Markup);
        Assert.DoesNotContain("admin@test.local", page.Markup);
        Assert.Empty(page.FindAll("[data-testid=tab-users], [data-testid=tab-companies]"));
    }

    private async Task<AppUser?> FindUserAsync(string email)
    {
        using var scope = _app.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(email);
    }
}
