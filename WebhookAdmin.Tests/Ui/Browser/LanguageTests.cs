using System.Net;
using Microsoft.Playwright;
using WebhookAdmin.Tests.Infrastructure;
using WebhookAdmin.Tests.Ui.Infrastructure;

namespace WebhookAdmin.Tests.Ui.Browser;

[Collection(BrowserCollection.Name)]
public sealed class LanguageTests(BrowserFixture browser) : WorldTests(WorldOptions.Default with { Organization = SeedProject.Website })
{
    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        await UiUsers.CreateAsync(Admin, "joao@example.com", "João Silva");
    }

    [Fact]
    public async Task Choosing_Portuguese_translates_the_pages_and_the_choice_is_remembered()
    {
        await using var ui = await UiSession.StartAsync(browser, App);
        await ui.SignInAsync("joao@example.com", UiUsers.Password, "/webhooks");
        await Assertions.Expect(ui.Page.Locator("h1")).ToHaveTextAsync("Webhooks");
        await Assertions.Expect(ui.TestId("new-webhook")).ToHaveTextAsync("New webhook");

        await ui.TestId("language-menu").ClickAsync();
        await ui.Page.Locator("[data-culture=pt-BR]").ClickAsync();
        await ui.WaitForPathAsync(p => p == "/webhooks");

        await Assertions.Expect(ui.TestId("new-webhook")).ToHaveTextAsync("Novo webhook");
        await Assertions.Expect(ui.Page.Locator("nav")).ToContainTextAsync("Painel");
        Assert.Equal("pt-BR", await ui.Page.Locator("html").GetAttributeAsync("lang"));

        // Remembered: a new page load, even the sign-in page after signing out, stays in Portuguese.
        await ui.GotoAsync("/");
        await Assertions.Expect(ui.Page.Locator("h1")).ToHaveTextAsync("Painel");
        await ui.TestId("user-menu").ClickAsync();
        await ui.TestId("sign-out").ClickAsync();
        await ui.WaitForPathAsync(p => p == "/login");
        await Assertions.Expect(ui.TestId("sign-in")).ToHaveTextAsync("Entrar");
        ui.AssertNoErrors();
    }

    [Fact]
    public async Task A_disabled_webhook_s_page_in_Portuguese_says_why_in_Portuguese()
    {
        Receiver.Respond(new ReceiverAnswer(410, "This endpoint was retired"));
        var id = (await Admin.PostOk("/api/v1/webhooks", new { url = Receiver.UrlFor("/billing"), name = "Billing export" }, HttpStatusCode.Created)).Str("id");
        await Admin.PostOk("/api/v1/events", new { @event = "TODO_CREATED", projectId = "acme-web" }, HttpStatusCode.Accepted);
        var disabled = await Eventually.ReturnsAsync(() => Admin.GetOk($"/api/v1/webhooks/{id}"), w => !w.GetProperty("enabled").GetBoolean(), "the webhook to be disabled");
        // The API keeps its English words for the programs that read them.
        Assert.EndsWith("the receiver answered 410 Gone, which means the endpoint no longer exists.", disabled.Str("disabledReason"));

        await using var ui = await UiSession.StartAsync(browser, App);
        await ui.Context.AddCookiesAsync([new Microsoft.Playwright.Cookie { Name = ".AspNetCore.Culture", Value = "c=pt-BR|uic=pt-BR", Url = App.BaseAddress.ToString() }]);
        await ui.SignInAsync(TestApp.AdminEmail, TestApp.AdminPassword, $"/webhooks/{id}");

        var reason = ui.TestId("disabled-reason");
        await Assertions.Expect(reason).ToContainTextAsync("Motivo: Desligado automaticamente em ");
        await Assertions.Expect(reason).ToContainTextAsync("o destino respondeu 410 Gone, o que significa que o endereço não existe mais.");
        await Assertions.Expect(reason).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"\d{2}/\d{2}/\d{4} às \d{2}:\d{2} UTC"));
        await Assertions.Expect(ui.TestId("webhook-deliveries")).ToContainTextAsync("o destino respondeu 410 Gone");
        ui.AssertNoErrors();
    }
}
