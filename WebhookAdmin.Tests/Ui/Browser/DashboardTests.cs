using System.Net;
using Microsoft.Playwright;
using WebhookAdmin.Tests.Infrastructure;
using WebhookAdmin.Tests.Ui.Infrastructure;

namespace WebhookAdmin.Tests.Ui.Browser;

[Collection(BrowserCollection.Name)]
public sealed class DashboardTests(BrowserFixture browser) : IAsyncLifetime
{
    private readonly TestApp _app = new(new Dictionary<string, string?> { ["Delivery:MaxAttempts"] = "1" });
    private TestReceiver _receiver = null!;
    private HttpClient _admin = null!;

    public async ValueTask InitializeAsync()
    {
        _receiver = await TestReceiver.StartAsync();
        _receiver.Respond(request => request.Path == "/broken" ? ReceiverAnswer.Fail(503) : ReceiverAnswer.Ok);
        _admin = _app.Api();
        await _admin.CompanyAsync("acme", "Acme Corp");
        await _admin.ProjectAsync("acme-web", "acme", "Website relaunch");
        await _admin.MemberAsync("acme-web", TestApp.AdminEmail, "admin");
    }

    public async ValueTask DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task The_dashboard_shows_webhook_conditions_and_deliveries_and_updates_itself_while_open()
    {
        await _admin.PostOk("/api/v1/webhooks", new { url = _receiver.UrlFor("/crm"), name = "CRM sync" }, HttpStatusCode.Created);
        var broken = await _admin.PostOk("/api/v1/webhooks", new { url = _receiver.UrlFor("/broken"), name = "Old billing endpoint" }, HttpStatusCode.Created);
        await PublishAsync();
        await Eventually.ReturnsAsync(() => _admin.GetOk($"/api/v1/webhooks/{broken.Str("id")}"), w => !w.GetProperty("enabled").GetBoolean(), "the broken webhook to be disabled");

        await using var ui = await UiSession.StartAsync(browser, _app);
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
        _admin.PostOk("/api/v1/events", new { @event = "TODO_CREATED", projectId = "acme-web" }, HttpStatusCode.Accepted);
}
