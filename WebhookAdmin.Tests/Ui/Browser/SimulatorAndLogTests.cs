using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using WebhookAdmin.Tests.Infrastructure;
using WebhookAdmin.Tests.Ui.Infrastructure;

namespace WebhookAdmin.Tests.Ui.Browser;

/// <summary>
/// The event simulator and the delivery log end to end: an event published from the page reaches a real
/// receiver, shows in the log and on its own page, and can be sent again; and who may open what.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class SimulatorAndLogTests(BrowserFixture browser) : WorldTests(WorldOptions.Default with { Organization = SeedProject.Website })
{
    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        Receiver.Respond(new ReceiverAnswer(200, """{"received":true}"""));
        await UiUsers.CreateAsync(Admin, "alice@example.com", "Alice");
        await UiUsers.CreateAsync(Admin, "bob@example.com", "Bob");
        await Admin.MemberAsync("acme-web", "alice@example.com");
        await Admin.MemberAsync("acme-web", "bob@example.com");
    }

    [Fact]
    public async Task An_event_published_from_the_simulator_is_delivered_logged_shown_in_detail_and_resent()
    {
        await Admin.PostOk("/api/v1/webhooks", new { url = Receiver.UrlFor("/crm"), name = "CRM sync", events = new[] { "TODO_CREATED" } }, HttpStatusCode.Created);

        await using var ui = await UiSession.StartAsync(browser, App);
        await ui.SignInAsync(TestApp.AdminEmail, TestApp.AdminPassword, "/simulator");
        await Assertions.Expect(ui.TestId("nav-simulator")).ToBeVisibleAsync();

        // Broken JSON: a clear message under the box, and nothing is published.
        await ui.Field("sim-current").FillAsync("{ \"title\": \"Draft\", }");
        await ui.TestId("sim-publish").ClickAsync();
        await Assertions.Expect(ui.FieldControl("sim-current")).ToContainTextAsync("This is not valid JSON (line 1");
        var none = await Admin.GetOk("/api/v1/deliveries");
        Assert.Equal(0, none.GetProperty("pageInfo").GetProperty("totalItems").GetInt32());

        // A fresh sample of the default type (Record created, in the only project) is valid: publish it.
        await ui.TestId("sim-reset").ClickAsync();
        await Assertions.Expect(ui.FieldControl("sim-current")).Not.ToContainTextAsync("not valid JSON");
        await ui.TestId("sim-publish").ClickAsync();
        await Assertions.Expect(ui.TestId("sim-matched")).ToContainTextAsync("1 webhook(s) matched");
        var eventId = (await ui.TestId("sim-event-id").TextContentAsync())!.Trim();
        Assert.Matches("^evt_", eventId);

        var arrived = await Receiver.WaitForAsync(1);
        Assert.Equal("TODO_CREATED", arrived[0].Json.GetProperty("event").GetString());
        Assert.Contains(eventId, arrived[0].BodyText);
        // Followed live on the same page: the chip turns to Delivered without a reload.
        await Assertions.Expect(ui.TestId("sim-delivery").GetByTestId("delivery-status")).ToHaveAttributeAsync("data-status", "delivered");

        // The log lists it (unfiltered), newest first, with the event id.
        await ui.GotoAsync("/deliveries");
        await Assertions.Expect(ui.TestId("log-delivery-link")).ToHaveCountAsync(1);
        await Assertions.Expect(ui.TestId("log-grid")).ToContainTextAsync(eventId);
        await Assertions.Expect(ui.TestId("log-grid")).ToContainTextAsync("CRM sync");

        // Its page: the payload as indented JSON and the one scheduled attempt with the receiver's answer.
        await ui.TestId("log-delivery-link").ClickAsync();
        await ui.WaitForPathAsync(p => DeliveryPath().IsMatch(p));
        await Assertions.Expect(ui.TestId("payload-json")).ToContainTextAsync($"\"id\": \"{eventId}\"");
        await Assertions.Expect(ui.TestId("payload-json")).ToContainTextAsync("\"event\": \"TODO_CREATED\"");
        var attempts = ui.TestId("attempt");
        await Assertions.Expect(attempts).ToHaveCountAsync(1);
        await Assertions.Expect(attempts.First).ToHaveAttributeAsync("data-trigger", "scheduled");
        await Assertions.Expect(attempts.First.GetByTestId("attempt-outcome")).ToContainTextAsync("HTTP 200 OK");
        await Assertions.Expect(attempts.First.GetByTestId("attempt-body")).ToContainTextAsync("\"received\": true");
        await Assertions.Expect(attempts.First).ToContainTextAsync("webhook-signature");

        // Send it again: a confirmation, a second request at the receiver, and a second (manual) attempt on the page.
        await ui.TestId("resend").ClickAsync();
        await Assertions.Expect(ui.Page.Locator(".mud-snackbar")).ToContainTextAsync("Sent again");
        await Receiver.WaitForAsync(2);
        await Assertions.Expect(attempts).ToHaveCountAsync(2);
        await Assertions.Expect(attempts.First).ToHaveAttributeAsync("data-trigger", "manual");
        await Assertions.Expect(attempts.First).ToHaveAttributeAsync("data-number", "2");
        ui.AssertNoErrors();
    }

    [Fact]
    public async Task The_log_opens_pre_filtered_from_its_address_and_filters_change_the_address()
    {
        var crm = (await Admin.PostOk("/api/v1/webhooks", new { url = Receiver.UrlFor("/crm"), name = "CRM sync" }, HttpStatusCode.Created)).Str("id");
        await Admin.PostOk("/api/v1/webhooks", new { url = Receiver.UrlFor("/chat"), name = "Team chat" }, HttpStatusCode.Created);
        await Admin.PostOk("/api/v1/events", new { @event = "TODO_CREATED", projectId = "acme-web" }, HttpStatusCode.Accepted);
        await Receiver.WaitForAsync(2);

        await using var ui = await UiSession.StartAsync(browser, App);
        await ui.SignInAsync(TestApp.AdminEmail, TestApp.AdminPassword, $"/deliveries?webhook={crm}&status=delivered");
        await Assertions.Expect(ui.TestId("log-delivery-link")).ToHaveCountAsync(1);
        await Assertions.Expect(ui.TestId("log-grid")).ToContainTextAsync("CRM sync");
        await Assertions.Expect(ui.TestId("log-grid")).Not.ToContainTextAsync("Team chat");

        // A status nothing has: the empty state says so, and clearing the filters empties the address.
        await ui.GotoAsync($"/deliveries?webhook={crm}&status=held");
        await Assertions.Expect(ui.TestId("empty-state")).ToContainTextAsync("No delivery matches these filters");
        await ui.TestId("log-clear").ClickAsync();
        await Assertions.Expect(ui.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/deliveries$"));
        await Assertions.Expect(ui.TestId("log-delivery-link")).ToHaveCountAsync(2);

        // The dashboard's backlog figure leads to the log filtered to what waits.
        await ui.GotoAsync("/");
        await Assertions.Expect(ui.Page.Locator("a.stat-card-link", new PageLocatorOptions { Has = ui.TestId("backlog") }))
            .ToHaveAttributeAsync("href", "/deliveries?status=pending");

        // The webhook page's "see all" leads to the log filtered to it.
        await ui.GotoAsync($"/webhooks/{crm}");
        await ui.TestId("see-all-deliveries").ClickAsync();
        await ui.WaitForPathAsync(p => p == "/deliveries");
        Assert.Contains($"webhook={crm}", ui.Page.Url);
        await Assertions.Expect(ui.TestId("log-delivery-link")).ToHaveCountAsync(1);
        ui.AssertNoErrors();
    }

    [Fact]
    public async Task A_webhook_found_by_typing_in_the_picker_filters_the_log_to_its_deliveries_and_clearing_it_shows_all()
    {
        var crm = (await Admin.PostOk("/api/v1/webhooks", new { url = Receiver.UrlFor("/crm"), name = "CRM sync" }, HttpStatusCode.Created)).Str("id");
        var staging = (await Admin.PostOk("/api/v1/webhooks", new { url = Receiver.UrlFor("/crm-staging"), name = "CRM sync" }, HttpStatusCode.Created)).Str("id");
        var chat = (await Admin.PostOk("/api/v1/webhooks", new { url = Receiver.UrlFor("/chat"), name = "Team chat" }, HttpStatusCode.Created)).Str("id");
        await Admin.PostOk("/api/v1/events", new { @event = "TODO_CREATED", projectId = "acme-web" }, HttpStatusCode.Accepted);
        await Receiver.WaitForAsync(3);

        await using var ui = await UiSession.StartAsync(browser, App);
        await ui.SignInAsync(TestApp.AdminEmail, TestApp.AdminPassword, "/deliveries");
        await Assertions.Expect(ui.TestId("log-delivery-link")).ToHaveCountAsync(3);
        var picker = ui.Field("log-filter-webhook");
        var options = ui.Page.Locator(".webhook-picker-list .mud-list-item");

        // By keyboard: type part of the name, the first match is highlighted, Enter chooses it.
        await picker.ClickAsync();
        await picker.PressSequentiallyAsync("chat");
        // Every letter kept: nothing the picker does on focus may swallow what is typed right after the click.
        await Assertions.Expect(picker).ToHaveValueAsync("chat");
        await Assertions.Expect(options).ToHaveCountAsync(1);
        await Assertions.Expect(options.First).ToContainTextAsync(Receiver.UrlFor("/chat"));
        await picker.PressAsync("Enter");
        await Assertions.Expect(ui.Page).ToHaveURLAsync(new Regex($"webhook={chat}"));
        await Assertions.Expect(ui.TestId("log-delivery-link")).ToHaveCountAsync(1);
        await Assertions.Expect(ui.TestId("log-grid")).ToContainTextAsync("Team chat");
        await Assertions.Expect(picker).ToHaveValueAsync("Team chat");

        // Two webhooks of the same name: the address under each name tells them apart.
        await picker.FillAsync("");
        await picker.PressSequentiallyAsync("crm");
        await Assertions.Expect(picker).ToHaveValueAsync("crm");
        await Assertions.Expect(options).ToHaveCountAsync(2);
        await options.Filter(new LocatorFilterOptions { HasText = Receiver.UrlFor("/crm-staging") }).ClickAsync();
        await Assertions.Expect(ui.Page).ToHaveURLAsync(new Regex($"webhook={staging}"));
        await Assertions.Expect(ui.TestId("log-delivery-link")).ToHaveCountAsync(1);
        Assert.DoesNotContain($"webhook={crm}", ui.Page.Url);

        // Clearing the picker clears the filter.
        await ui.Page.Locator(".log-filter-webhook .mud-input-clear-button").ClickAsync();
        await Assertions.Expect(ui.Page).ToHaveURLAsync(new Regex("/deliveries$"));
        await Assertions.Expect(ui.TestId("log-delivery-link")).ToHaveCountAsync(3);
        await Assertions.Expect(picker).ToHaveValueAsync("");
        ui.AssertNoErrors();
    }

    [Fact]
    public async Task A_non_administrator_has_no_simulator_and_cannot_open_another_users_delivery()
    {
        var aliceToken = await Admin.TokenForAsync("alice@example.com", "webhooks");
        await App.Api(aliceToken).PostOk("/api/v1/webhooks",
            new { url = Receiver.UrlFor("/alice-secret-endpoint"), name = "Alice private CRM" }, HttpStatusCode.Created);
        await Admin.PostOk("/api/v1/events", new { @event = "TODO_CREATED", projectId = "acme-web" }, HttpStatusCode.Accepted);
        await Receiver.WaitForAsync(1);
        var delivery = (await Admin.GetOk("/api/v1/deliveries")).GetProperty("items")[0].GetProperty("id").GetInt64();

        await using var bob = await UiSession.StartAsync(browser, App);
        await bob.SignInAsync("bob@example.com", UiUsers.Password, "/simulator");
        await Assertions.Expect(bob.TestId("simulator-forbidden")).ToBeVisibleAsync();
        await Assertions.Expect(bob.TestId("nav-deliveries")).ToBeVisibleAsync();
        await Assertions.Expect(bob.TestId("nav-simulator")).ToHaveCountAsync(0);
        Assert.DoesNotContain("sim-publish", await bob.Page.ContentAsync());

        await bob.GotoAsync($"/deliveries/{delivery}");
        await Assertions.Expect(bob.TestId("delivery-not-found")).ToBeVisibleAsync();
        Assert.DoesNotContain("alice-secret-endpoint", await bob.Page.ContentAsync());
        await bob.GotoAsync("/deliveries");
        await Assertions.Expect(bob.TestId("empty-state")).ToContainTextAsync("No deliveries yet");
        bob.AssertNoErrors();

        await using var alice = await UiSession.StartAsync(browser, App);
        await alice.SignInAsync("alice@example.com", UiUsers.Password, $"/deliveries/{delivery}");
        await Assertions.Expect(alice.TestId("delivery-webhook")).ToHaveTextAsync("Alice private CRM");
        await Assertions.Expect(alice.TestId("attempt")).ToHaveCountAsync(1);
        alice.AssertNoErrors();
    }

    [GeneratedRegex("^/deliveries/[0-9]+$")]
    private static partial Regex DeliveryPath();
}
