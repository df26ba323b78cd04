using System.Net;
using Microsoft.Playwright;
using WebhookAdmin.Tests.Infrastructure;
using WebhookAdmin.Tests.Ui.Infrastructure;

namespace WebhookAdmin.Tests.Ui.Browser;

[Collection(BrowserCollection.Name)]
public sealed class DashboardTests(BrowserFixture browser) : WorldTests(
    WorldOptions.Default.With("Delivery:MaxAttempts", "1") with { Organization = SeedProject.Website })
{
    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        Receiver.Respond(request => request.Path == "/broken" ? ReceiverAnswer.Fail(503) : ReceiverAnswer.Ok);
    }

    [Fact]
    public async Task The_dashboard_shows_webhook_conditions_and_deliveries_and_updates_itself_while_open()
    {
        await Admin.PostOk("/api/v1/webhooks", new { url = Receiver.UrlFor("/crm"), name = "CRM sync" }, HttpStatusCode.Created);
        var broken = await Admin.PostOk("/api/v1/webhooks", new { url = Receiver.UrlFor("/broken"), name = "Old billing endpoint" }, HttpStatusCode.Created);
        await PublishAsync();
        await Eventually.ReturnsAsync(() => Admin.GetOk($"/api/v1/webhooks/{broken.Str("id")}"), w => !w.GetProperty("enabled").GetBoolean(), "the broken webhook to be disabled");

        await using var ui = await UiSession.StartAsync(browser, App);
        await ui.SignInAsync(TestApp.AdminEmail, TestApp.AdminPassword);

        await Assertions.Expect(ui.TestId("healthy-value")).ToHaveTextAsync("1");
        await Assertions.Expect(ui.TestId("disabled-value")).ToHaveTextAsync("1");
        await Assertions.Expect(ui.TestId("failing-webhooks")).ToContainTextAsync("Old billing endpoint");
        await Assertions.Expect(ui.TestId("deliveries-chart")).ToContainTextAsync("1 delivered");

        // Nobody reloads: the page picks up new deliveries by itself.
        await PublishAsync();
        await Assertions.Expect(ui.TestId("deliveries-chart")).ToContainTextAsync("2 delivered");
        await Assertions.Expect(ui.TestId("backlog-value")).ToHaveTextAsync("1");
        ui.AssertNoErrors();
    }

    private Task PublishAsync() =>
        Admin.PostOk("/api/v1/events", new { @event = "TODO_CREATED", projectId = "acme-web" }, HttpStatusCode.Accepted);
}
