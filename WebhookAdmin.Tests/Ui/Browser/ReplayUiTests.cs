using System.Net;
using Microsoft.Playwright;
using WebhookAdmin.Tests.Infrastructure;
using WebhookAdmin.Tests.Ui.Infrastructure;

namespace WebhookAdmin.Tests.Ui.Browser;

/// <summary>
/// "Done" for bulk replay: a business user whose receiver failed last week fixes it, counts what would go again, confirms,
/// and watches the deliveries go out; the delivery log offers the same with its filters.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ReplayUiTests(BrowserFixture browser) : WorldTests(WorldOptions.Default with { Organization = SeedProject.Website })
{
    [Fact]
    public async Task A_business_user_sends_last_week_s_failures_again_after_fixing_the_receiver_and_watches_them_go_out()
    {
        await UiUsers.CreateAsync(Admin, "dana@example.com", "Dana Lima");
        await Admin.MemberAsync("acme-web", "dana@example.com");
        var dana = await TokenAsync("dana@example.com");
        var id = (await dana.PostOk("/api/v1/webhooks", new { url = Receiver.UrlFor("/orders"), name = "Order sync" }, HttpStatusCode.Created)).Str("id");
        var failed = await FailedDeliveriesAsync(id, 5);

        await using var ui = await UiSession.StartAsync(browser, App);
        await ui.SignInAsync("dana@example.com", UiUsers.Password, $"/webhooks/{id}");

        // From the delivery log, narrowed to this webhook's failures: the count matches them.
        await ui.GotoAsync($"/deliveries?webhook={id}&status=failed&range=7d");
        await ui.TestId("log-replay").ClickAsync();
        await Assertions.Expect(ui.TestId("replay-count")).ToContainTextAsync("5 deliveries would be sent again.");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Assertions.Expect(ui.TestId("replay-dialog")).ToHaveCountAsync(0);

        // From the webhook's page: failed (the default) over the last 7 days.
        await ui.GotoAsync($"/webhooks/{id}");
        await ui.TestId("detail-replay").ClickAsync();
        await Assertions.Expect(ui.TestId("replay-count")).ToContainTextAsync("5 deliveries would be sent again.");
        await ui.ScreenshotAsync("38-replay-dialog", fullPage: false);
        await ui.TestId("replay-confirm").ClickAsync();
        await Assertions.Expect(ui.TestId("replay-progress-text")).ToContainTextAsync("5 of 5 handed to the queue · 5 delivered so far");
        await Assertions.Expect(ui.TestId("replay-state")).ToContainTextAsync("Done");
        await ui.ScreenshotAsync("39-replay-done", fullPage: false);
        await ui.TestId("replay-close").ClickAsync();

        var sentAgain = Receiver.Requests.Skip(5).Select(r => r.Header("X-Webhook-Delivery")).Order().ToList();
        Assert.Equal(failed.Select(f => f.ToString(System.Globalization.CultureInfo.InvariantCulture)).Order(), sentAgain);
        foreach (var delivery in failed) Assert.Equal("delivered", (await World.DeliveryAsync(delivery)).Str("status"));
        ui.AssertNoErrors();
    }

    /// <summary>Deliveries the receiver took, then made "failed" behind the app's back (the engine's own failing path disables the webhook).</summary>
    private async Task<List<long>> FailedDeliveriesAsync(string webhookId, int count)
    {
        for (var i = 0; i < count; i++)
            await Admin.PostOk("/api/v1/events", new { @event = "TODO_CREATED", projectId = "acme-web", currentValue = new { title = $"Order {i}" } }, HttpStatusCode.Accepted);
        var deliveries = await Eventually.ReturnsAsync(() => World.DeliveriesAsync(webhookId),
            d => d.Count == count && d.All(x => x.Str("status") == "delivered"), "the deliveries");
        var ids = deliveries.Select(d => d.GetProperty("id").GetInt64()).ToList();
        await App.Database.ExecuteAsync($"""
            UPDATE "Deliveries" SET "Status" = 'failed', "DeliveredAt" = NULL, "LastStatusCode" = 500, "LastError" = 'The receiver answered 500.'
            WHERE "Id" IN ({string.Join(", ", ids)})
            """);
        return ids;
    }

    private async Task<HttpClient> TokenAsync(string email)
    {
        var token = await Admin.PostOk($"/api/v1/users/{email}/tokens", new { name = "ui", scopes = new[] { "webhooks" } }, HttpStatusCode.Created);
        return App.Api(token.Str("token"));
    }
}
