using Microsoft.Playwright;
using WebhookAdmin.Tests.Infrastructure;
using WebhookAdmin.Tests.Ui.Infrastructure;

namespace WebhookAdmin.Tests.Ui.Browser;

[Collection(BrowserCollection.Name)]
public sealed class LanguageTests(BrowserFixture browser) : IAsyncLifetime
{
    private readonly TestApp _app = new();

    public async ValueTask InitializeAsync() => await UiUsers.CreateAsync(_app.Api(), "joao@example.com", "João Silva");

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Choosing_Portuguese_translates_the_pages_and_the_choice_is_remembered()
    {
        await using var ui = await UiSession.StartAsync(browser, _app);
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
}
