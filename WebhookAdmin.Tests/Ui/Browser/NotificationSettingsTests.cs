using System.Net;
using Microsoft.Playwright;
using WebhookAdmin.Features.Accounts;
using WebhookAdmin.Tests.Api;
using WebhookAdmin.Tests.Infrastructure;
using WebhookAdmin.Tests.Ui.Infrastructure;

namespace WebhookAdmin.Tests.Ui.Browser;

/// <summary>The notifications settings page in Chromium: the owner's email switch and the administrators' email log.</summary>
[Collection(BrowserCollection.Name)]
public sealed class NotificationSettingsTests(BrowserFixture browser) : WorldTests(options: null)
{
    private TestSmtpServer _smtp = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _smtp = await TestSmtpServer.StartAsync();
        await StartWorldAsync(_smtp.Into(WorldOptions.FakeClockNoPoll));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await _smtp.DisposeAsync();
    }

    [Fact]
    public async Task An_administrator_sees_the_sent_email_and_an_owner_turns_the_emails_off()
    {
        var (webhookId, _) = await World.CreateWebhookAsync(Receiver.UrlFor());
        await Admin.PostOk("/api/v1/users", new { email = "colleague@test.local", isAdmin = true }, HttpStatusCode.Created);
        using var colleague = App.Api(await Admin.TokenForAsync("colleague@test.local", "admin", "webhooks"));
        await colleague.PostOk($"/api/v1/webhooks/{webhookId}/disable", null);
        await _smtp.WaitForAsync(1);

        await using var ui = await UiSession.StartAsync(browser, App);
        await ui.SignInAsync(TestApp.AdminEmail, TestApp.AdminPassword, "/settings/notifications");
        await ui.WaitForInteractiveAsync();
        await Assertions.Expect(ui.TestId("mail-status")).ToHaveTextAsync("Sent");
        await Assertions.Expect(ui.TestId("mail-grid")).ToContainTextAsync("was disabled");
        await Assertions.Expect(ui.TestId("smtp-server")).ToContainTextAsync("127.0.0.1");
        await ui.ScreenshotAsync("37-settings-notifications");

        await ui.Page.GetByText("Email me about my webhooks").ClickAsync();
        await Assertions.Expect(ui.Page.Locator(".mud-snackbar", new PageLocatorOptions { HasText = "You will not get emails" })).ToBeVisibleAsync();
        var choices = await App.Service<PersonalSettings>().ReadAsync(await App.UserIdAsync(TestApp.AdminEmail), Xunit.TestContext.Current.CancellationToken);
        Assert.False(choices!.EmailsOn);
        ui.AssertNoErrors();
    }
}
