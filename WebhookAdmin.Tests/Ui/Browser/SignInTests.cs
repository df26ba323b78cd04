using Microsoft.Playwright;
using WebhookAdmin.Tests.Infrastructure;
using WebhookAdmin.Tests.Ui.Infrastructure;

namespace WebhookAdmin.Tests.Ui.Browser;

[Collection(BrowserCollection.Name)]
public sealed class SignInTests(BrowserFixture browser) : IAsyncLifetime
{
    private readonly TestApp _app = new();

    public async ValueTask InitializeAsync() => await UiUsers.CreateAsync(_app.Api(), "carla@example.com", "Carla Souza");

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_wrong_password_is_refused_in_plain_words_and_the_right_one_opens_the_page_asked_for()
    {
        await using var ui = await UiSession.StartAsync(browser, _app);

        await ui.Page.GotoAsync("/webhooks");
        await ui.WaitForInteractiveAsync();
        Assert.StartsWith("/login", new Uri(ui.Page.Url).AbsolutePath);

        await ui.Page.Locator("input[name=email]").FillAsync("carla@example.com");
        await ui.Page.Locator("input[name=password]").FillAsync("not her password");
        await ui.TestId("sign-in").ClickAsync();
        await ui.WaitForInteractiveAsync();
        await Assertions.Expect(ui.TestId("login-error")).ToContainTextAsync("email or password is not right");

        await ui.Page.Locator("input[name=password]").FillAsync(UiUsers.Password);
        await ui.TestId("sign-in").ClickAsync();
        await ui.WaitForPathAsync(p => p == "/webhooks");
        ui.AssertNoErrors();
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_and_the_page_says_so()
    {
        await using var ui = await UiSession.StartAsync(browser, _app);
        await ui.GotoAsync("/login");
        for (var i = 0; i < 5; i++)
        {
            await ui.Page.Locator("input[name=email]").FillAsync("carla@example.com");
            await ui.Page.Locator("input[name=password]").FillAsync("wrong " + i);
            await ui.TestId("sign-in").ClickAsync();
            await ui.WaitForInteractiveAsync();
        }
        await Assertions.Expect(ui.TestId("login-error")).ToContainTextAsync("locked");

        // Even the right password is refused while the lock lasts.
        await ui.Page.Locator("input[name=password]").FillAsync(UiUsers.Password);
        await ui.TestId("sign-in").ClickAsync();
        await ui.WaitForInteractiveAsync();
        await Assertions.Expect(ui.TestId("login-error")).ToContainTextAsync("locked");
        ui.AssertNoErrors();
    }

    [Fact]
    public async Task Signing_out_ends_the_session_so_pages_ask_for_sign_in_again()
    {
        await using var ui = await UiSession.StartAsync(browser, _app);
        await ui.SignInAsync("carla@example.com", UiUsers.Password);

        await ui.TestId("user-menu").ClickAsync();
        await ui.TestId("sign-out").ClickAsync();
        await ui.WaitForPathAsync(p => p == "/login");

        await ui.Page.GotoAsync("/");
        await ui.WaitForInteractiveAsync();
        Assert.StartsWith("/login", new Uri(ui.Page.Url).AbsolutePath);
        ui.AssertNoErrors();
    }
}
