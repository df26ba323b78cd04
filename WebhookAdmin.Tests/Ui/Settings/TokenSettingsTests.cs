using Bunit;
using WebhookAdmin.Features.Accounts;
using WebhookAdmin.Features.Common;
using WebhookAdmin.Features.Settings.Pages;
using WebhookAdmin.Tests.Api;
using WebhookAdmin.Tests.Infrastructure;
using WebhookAdmin.Tests.Ui.Infrastructure;

namespace WebhookAdmin.Tests.Ui.Settings;

/// <summary>The API token page and its dialogs, rendered by bunit on the real ApiTokenService (real SQLite).</summary>
public sealed class TokenSettingsTests : IAsyncLifetime
{
    private const string Dana = "dana@example.com";
    private readonly TestApp _app = new();

    public async ValueTask InitializeAsync() => await UiUsers.CreateAsync(_app.Api(), Dana);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_person_who_is_not_an_administrator_is_not_offered_the_admin_scope()
    {
        await using var ui = await SettingsUi.SignInAsync(_app, Dana);
        var page = ui.Render<TokenSettings>();
        page.WaitForElement("[data-testid=new-token]").Click();

        var scopes = ui.Dialogs.WaitForElement("[data-testid=token-scopes]");
        Assert.Equal(["webhooks", "events:publish"], scopes.QuerySelectorAll("input[data-scope]").Select(i => i.GetAttribute("data-scope")));
    }

    [Fact]
    public async Task An_administrator_is_offered_every_scope_and_gets_the_admin_one_when_ticked()
    {
        await using var ui = await SettingsUi.SignInAsync(_app, TestApp.AdminEmail);
        var page = ui.Render<TokenSettings>();
        page.WaitForElement("[data-testid=new-token]").Click();
        ui.Dialogs.WaitForElement("input[data-scope=admin]").Change(true);
        ui.Dialogs.Find("input[data-testid=token-name-field]").Input("Directory sync");
        ui.Dialogs.Find("[data-testid=create-token]").Click();

        ui.Dialogs.WaitForElement("[data-testid=token-value]");
        var token = (await _app.Service<ApiTokenService>().ListAsync(ui.User.Id, Test.Ct)).Single(t => t.Name == "Directory sync");
        Assert.Equal(["webhooks", "admin"], token.Scopes);
    }

    [Fact]
    public async Task The_service_refuses_the_admin_scope_to_a_non_administrator_whatever_the_page_offers()
    {
        await using var ui = await SettingsUi.SignInAsync(_app, Dana);
        var result = await _app.Service<ApiTokenService>().CreateAsync(ui.User.Id, ui.User.IsAdmin,
            new CreateTokenRequest("escalate", [Scopes.Admin]), Test.Ct);
        Assert.IsType<ServiceResult<CreatedTokenResponse>.Forbidden>(result);
    }

    [Fact]
    public async Task The_new_token_is_shown_once_and_afterwards_only_its_prefix()
    {
        await using var ui = await SettingsUi.SignInAsync(_app, Dana);
        var page = ui.Render<TokenSettings>();
        page.WaitForElement("[data-testid=empty-state]");
        page.Find("[data-testid=new-token]").Click();
        ui.Dialogs.WaitForElement("input[data-testid=token-name-field]").Input("CRM sync");
        ui.Dialogs.Find("input[data-scope=events\\:publish]").Change(true);
        ui.Dialogs.Find("[data-testid=create-token]").Click();

        var shown = ui.Dialogs.WaitForElement("[data-testid=token-value]").TextContent;
        Assert.StartsWith("wha_", shown);
        Assert.True(await _app.Service<ApiTokenService>().ExistsAsync(shown, Test.Ct));
        Assert.Contains("you will not see it again", ui.Dialogs.Find("[data-testid=token-once]").TextContent);
        Assert.NotNull(ui.Dialogs.Find("[data-testid=token-copy]"));

        ui.Dialogs.Find("[data-testid=token-done]").Click();
        ui.Dialogs.WaitForAssertion(() => Assert.Empty(ui.Dialogs.FindAll("[data-testid=token-created-dialog]")));
        page.WaitForAssertion(() => Assert.Equal("CRM sync", page.Find("[data-testid=token-name]").TextContent));
        Assert.Equal(shown[..8] + "…", page.Find("[data-testid=token-prefix]").TextContent);
        Assert.DoesNotContain(shown, page.Markup);
        Assert.DoesNotContain(shown, ui.Dialogs.Markup);
        Assert.Equal(["webhooks", "events:publish"], (await _app.Service<ApiTokenService>().ListAsync(ui.User.Id, Test.Ct)).Single().Scopes);
    }

    [Fact]
    public async Task Creating_without_a_name_or_a_scope_says_what_is_missing_and_creates_nothing()
    {
        await using var ui = await SettingsUi.SignInAsync(_app, Dana);
        var page = ui.Render<TokenSettings>();
        page.WaitForElement("[data-testid=new-token]").Click();
        ui.Dialogs.WaitForElement("input[data-scope=webhooks]").Change(false);
        ui.Dialogs.Find("[data-testid=create-token]").Click();

        ui.Dialogs.WaitForAssertion(() => Assert.Contains("Give the token a name", ui.Dialogs.Markup));
        Assert.Contains("Choose at least one permission.", ui.Dialogs.Find("[data-testid=scopes-error]").TextContent);
        Assert.Empty(await _app.Service<ApiTokenService>().ListAsync(ui.User.Id, Test.Ct));
    }

    [Fact]
    public async Task Revoking_asks_first_naming_the_token_then_removes_it()
    {
        await using var ui = await SettingsUi.SignInAsync(_app, Dana);
        await _app.Service<ApiTokenService>().CreateAsync(ui.User.Id, false, new CreateTokenRequest("Old laptop", [Scopes.Webhooks]), Test.Ct);
        var page = ui.Render<TokenSettings>();
        page.WaitForElement("[data-testid=revoke]").Click();

        ui.Dialogs.WaitForElement("[data-testid=confirm-dialog]");
        Assert.Contains("Revoke Old laptop?", ui.Dialogs.Markup);
        Assert.Contains("Programs using \"Old laptop\" get \"401 Unauthorized\"", ui.Dialogs.Markup);
        ui.Dialogs.Find("[data-testid=confirm-cancel]").Click();
        ui.Dialogs.WaitForAssertion(() => Assert.Empty(ui.Dialogs.FindAll("[data-testid=confirm-dialog]")));
        Assert.Single(await _app.Service<ApiTokenService>().ListAsync(ui.User.Id, Test.Ct));

        page.Find("[data-testid=revoke]").Click();
        ui.Dialogs.WaitForElement("[data-testid=confirm-ok]").Click();
        page.WaitForElement("[data-testid=empty-state]");
        Assert.Empty(await _app.Service<ApiTokenService>().ListAsync(ui.User.Id, Test.Ct));
    }
}
