using System.Net;
using Microsoft.Playwright;
using WebhookAdmin.Tests.Infrastructure;
using WebhookAdmin.Tests.Ui.Infrastructure;

namespace WebhookAdmin.Tests.Ui.Browser;

[Collection(BrowserCollection.Name)]
public sealed class ReEnableTests(BrowserFixture browser) : WorldTests(
    // One attempt per delivery: the first failure disables the webhook, so the test needs no clock tricks.
    WorldOptions.Default.With("Delivery:MaxAttempts", "1") with { Organization = SeedProject.Website })
{
    [Fact]
    public async Task A_webhook_disabled_by_a_failing_receiver_explains_why_and_once_re_enabled_delivers_what_waited()
    {
        var webhook = await Admin.PostOk("/api/v1/webhooks", new { url = Receiver.UrlFor("/orders"), name = "Order sync" }, HttpStatusCode.Created);
        var id = webhook.Str("id");
        Receiver.Respond(ReceiverAnswer.Fail(500));
        await PublishAsync("first");
        await Eventually.ReturnsAsync(() => Admin.GetOk($"/api/v1/webhooks/{id}"), w => !w.GetProperty("enabled").GetBoolean(), "the webhook to be disabled");
        await PublishAsync("second");
        await PublishAsync("third");
        await Eventually.ReturnsAsync(() => Admin.GetOk($"/api/v1/webhooks/{id}/health"), h => h.GetProperty("held").GetInt32() == 2, "two held deliveries");

        await using var ui = await UiSession.StartAsync(browser, App);
        await ui.SignInAsync(TestApp.AdminEmail, TestApp.AdminPassword, $"/webhooks/{id}");
        await Assertions.Expect(ui.TestId("disabled-reason")).ToContainTextAsync("failed 1 times in a row");
        await Assertions.Expect(ui.TestId("disabled-reason")).ToContainTextAsync("answered 500");
        // Waiting: the two held, and the first one, which failed into the disable and is replayed with them.
        await Assertions.Expect(ui.TestId("health-held")).ToContainTextAsync("3");

        // The receiver is still broken: the health check fails and the webhook stays off.
        await ui.TestId("detail-enable").ClickAsync();
        await Assertions.Expect(ui.TestId("enable-dialog")).ToContainTextAsync("3 deliveries waited");
        await ui.TestId("enable-confirm").ClickAsync();
        await Assertions.Expect(ui.TestId("enable-failed")).ToContainTextAsync("500");
        Assert.False((await Admin.GetOk($"/api/v1/webhooks/{id}")).GetProperty("enabled").GetBoolean());

        // Fixed: the check passes, the webhook is on, and the three that waited go out.
        Receiver.Respond(ReceiverAnswer.Ok);
        var before = Receiver.Requests.Count;
        await ui.TestId("enable-confirm").ClickAsync();
        await Assertions.Expect(ui.TestId("disabled-banner")).ToHaveCountAsync(0);
        await Assertions.Expect(ui.Page.Locator(".mud-snackbar")).ToContainTextAsync("3 waiting deliveries are being sent");
        var arrived = await Receiver.WaitForAsync(before + 4);
        var events = arrived.Skip(before).Select(r => r.Json.GetProperty("event").GetString()).ToList();
        Assert.Equal(1, events.Count(e => e == "WEBHOOK_HEALTH_CHECK"));
        Assert.Equal(3, events.Count(e => e == "TODO_CREATED"));

        // The page follows by itself: nothing waits any more; the three events and the passing health check
        // read "delivered" (only the failed check stays "failed").
        await Assertions.Expect(ui.TestId("health-held")).ToContainTextAsync("0");
        var deliveries = ui.TestId("webhook-deliveries");
        await Assertions.Expect(deliveries.Locator("[data-status=delivered]")).ToHaveCountAsync(4);
        await Assertions.Expect(deliveries.Locator("[data-status=failed]")).ToHaveCountAsync(1);
        await Assertions.Expect(deliveries.Locator("[data-status=held]")).ToHaveCountAsync(0);
        ui.AssertNoErrors();
    }

    private Task PublishAsync(string title) =>
        Admin.PostOk("/api/v1/events", new { @event = "TODO_CREATED", projectId = "acme-web", currentValue = new { title } }, HttpStatusCode.Accepted);
}
