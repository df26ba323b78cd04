using System.Security.Claims;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using WebhookAdmin.Features.Accounts;
using WebhookAdmin.Features.Webhooks;
using WebhookAdmin.Features.Webhooks.Pages;
using WebhookAdmin.Tests.Infrastructure;
using WebhookAdmin.Tests.Ui.Infrastructure;

namespace WebhookAdmin.Tests.Ui.Webhooks;

/// <summary>The create/edit form rendered by bunit on the real services of a running app (real SQLite, real rules).</summary>
public sealed class WebhookEditorTests : IAsyncLifetime
{
    private const string Dana = "dana@example.com";
    private readonly TestApp _app = new();
    private readonly MudTestContext _ui = new();
    private IRenderedComponent<MudDialogProvider> _dialogs = null!;

    public async ValueTask InitializeAsync()
    {
        var admin = _app.Api();
        await admin.CompanyAsync("acme", "Acme Corp");
        await admin.ProjectAsync("acme-web", "acme", "Website relaunch");
        await UiUsers.CreateAsync(admin, Dana);
        await admin.MemberAsync("acme-web", Dana);

        using var scope = _app.Services.CreateScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(Dana);
        _ui.UseServicesOf(_app.Services);
        var auth = _ui.AddAuthorization();
        auth.SetAuthorized(Dana);
        auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, user!.Id), new Claim(ClaimTypes.Email, Dana), new Claim(CurrentUser.AdminClaim, "false"));
        _ui.RenderPopoverProvider();
        _dialogs = _ui.RenderMud<MudDialogProvider>();
    }

    public async ValueTask DisposeAsync()
    {
        await _ui.DisposeAsync();
        await _app.DisposeAsync();
    }

    private IRenderedComponent<WebhookEditor> RenderEditor(string? id = null)
    {
        var editor = _ui.RenderMud<WebhookEditor>(p => p.Add(x => x.Id, id));
        editor.WaitForElement("[data-testid=save]");
        return editor;
    }

    [Fact]
    public async Task Saving_without_answers_names_each_missing_one_in_plain_words()
    {
        var editor = RenderEditor();
        editor.Find("[data-testid=events-choose]").Click();
        editor.Find("[data-testid=projects-choose]").Click();
        editor.Find("[data-testid=save]").Click();

        editor.WaitForAssertion(() => Assert.Contains("Enter the address that should receive the webhook.", editor.Markup));
        Assert.Contains("Choose at least one event, or choose \"All events\".", editor.Find("[data-testid=events-error]").TextContent);
        Assert.Contains("Choose at least one project, or choose \"All my projects\".", editor.Find("[data-testid=projects-error]").TextContent);
        Assert.NotNull(editor.Find("[data-testid=form-error]"));
        Assert.Empty((await _app.Service<WebhookService>().ListAsync(await MeAsync(), new WebhookFilter(), new(0, 10), Xunit.TestContext.Current.CancellationToken)).Items);
    }

    [Fact]
    public void An_address_the_service_refuses_shows_its_reason_under_the_field()
    {
        var editor = RenderEditor();
        editor.Find("input[data-testid=url]").Input("ftp://files.example.com/drop");
        editor.Find("[data-testid=save]").Click();

        editor.WaitForAssertion(() => Assert.Contains("Only http and https URLs can receive webhooks, not 'ftp'.",
            editor.Find("input[data-testid=url]").Closest(".mud-input-control")!.TextContent));
    }

    [Fact]
    public void Leaving_the_address_field_checks_it_at_once()
    {
        var editor = RenderEditor();
        var url = editor.Find("input[data-testid=url]");
        url.Input("not a url");
        url.Blur();

        editor.WaitForAssertion(() => Assert.Contains("This is not a valid absolute URL", editor.Markup));
    }

    [Fact]
    public async Task The_secret_is_shown_once_after_creating_and_the_webhook_pages_never_show_it()
    {
        var editor = RenderEditor();
        editor.Find("input[data-testid=url]").Input("http://127.0.0.1:9/hook");
        editor.Find("input[data-testid=name]").Input("CRM sync");
        editor.Find("[data-testid=save]").Click();

        var shown = _dialogs.WaitForElement("[data-testid=secret-value]").TextContent;
        var stored = (await _app.Service<WebhookService>().ListAsync(await MeAsync(), new WebhookFilter(), new(0, 10), Xunit.TestContext.Current.CancellationToken)).Items.Single();
        var webhook = await _app.Service<WebhookService>().FindAsync(await MeAsync(), stored.Id, Xunit.TestContext.Current.CancellationToken);
        Assert.Equal(_app.Service<WebhookSecrets>().Unprotect(webhook!.ProtectedSecret), shown);
        Assert.Contains("WEBHOOK_SECRET", _dialogs.Markup);

        _dialogs.Find("[data-testid=secret-done]").Click();
        _dialogs.WaitForAssertion(() => Assert.Empty(_dialogs.FindAll("[data-testid=secret-dialog]")));
        Assert.EndsWith($"/webhooks/{stored.Id}", _ui.Services.GetRequiredService<NavigationManager>().Uri);

        var detail = _ui.RenderMud<WebhookDetail>(p => p.Add(x => x.Id, stored.Id));
        detail.WaitForAssertion(() => Assert.Contains("CRM sync", detail.Find("[data-testid=webhook-name]").TextContent));
        Assert.DoesNotContain(shown, detail.Markup);
        var edit = RenderEditor(stored.Id);
        Assert.DoesNotContain(shown, edit.Markup);
        Assert.DoesNotContain(shown, _dialogs.Markup);
    }

    [Fact]
    public async Task Editing_starts_from_the_saved_choices_and_saves_the_changes()
    {
        var created = await _app.Service<WebhookService>().CreateAsync(await MeAsync(),
            new CreateWebhookRequest("http://127.0.0.1:9/hook", "CRM sync", ["TODO_CREATED"], ["acme-web"]), Xunit.TestContext.Current.CancellationToken);
        var id = ((WebhookAdmin.Features.Common.ServiceResult<(WebhookResponse Webhook, string Secret)>.Success)created).Value.Webhook.Id;

        var editor = RenderEditor(id);
        Assert.True(editor.Find("[data-testid=events-choose]").HasAttribute("checked"));
        Assert.True(editor.Find("input[data-event=TODO_CREATED]").HasAttribute("checked"));
        Assert.True(editor.Find("input[data-project=acme-web]").HasAttribute("checked"));
        editor.Find("[data-testid=events-all]").Click();
        editor.Find("input[data-testid=name]").Input("CRM sync (all events)");
        editor.Find("[data-testid=save]").Click();

        editor.WaitForAssertion(() => Assert.EndsWith($"/webhooks/{id}", _ui.Services.GetRequiredService<NavigationManager>().Uri));
        var saved = await _app.Service<WebhookService>().FindAsync(await MeAsync(), id, Xunit.TestContext.Current.CancellationToken);
        Assert.Equal("CRM sync (all events)", saved!.Name);
        Assert.Empty(saved.Events);
        Assert.Equal(["acme-web"], saved.ProjectIds);
    }

    private async Task<CurrentUser> MeAsync()
    {
        using var scope = _app.Services.CreateScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(Dana);
        return new CurrentUser(user!.Id, Dana, false, new HashSet<string>());
    }
}
