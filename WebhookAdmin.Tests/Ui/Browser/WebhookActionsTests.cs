using System.Net;
using Microsoft.Playwright;
using WebhookAdmin.Data;
using WebhookAdmin.Features.Webhooks;
using WebhookAdmin.Tests.Infrastructure;
using WebhookAdmin.Tests.Ui.Infrastructure;

namespace WebhookAdmin.Tests.Ui.Browser;

/// <summary>The list's search, filter and row actions, and the detail page's test, rotate and delete.</summary>
[Collection(BrowserCollection.Name)]
public sealed class WebhookActionsTests(BrowserFixture browser) : WorldTests(WorldOptions.Default with { Organization = SeedProject.Website })
{
    [Fact]
    public async Task The_list_searches_filters_by_condition_and_turns_a_webhook_off_after_asking()
    {
        await CreateAsync("CRM sync", "/crm");
        await CreateAsync("Team chat", "/chat");
        var billing = await CreateAsync("Billing export", "/billing");
        await Admin.PostOk($"/api/v1/webhooks/{billing}/disable", null);

        await using var ui = await UiSession.StartAsync(browser, App);
        await ui.SignInAsync(TestApp.AdminEmail, TestApp.AdminPassword, "/webhooks");
        var names = ui.TestId("webhook-link");
        await Assertions.Expect(names).ToHaveCountAsync(3);

        await ui.Field("webhook-search").FillAsync("chat");
        await Assertions.Expect(names).ToHaveTextAsync(["Team chat"]);
        await ui.Field("webhook-search").FillAsync("");
        await Assertions.Expect(names).ToHaveCountAsync(3);

        await ui.Page.Locator("[data-filter=Disabled]").ClickAsync();
        await Assertions.Expect(names).ToHaveTextAsync(["Billing export"]);
        await ui.Page.Locator("[data-filter=Healthy]").ClickAsync();
        await Assertions.Expect(names).ToHaveCountAsync(2);

        // Turn "CRM sync" off from its row: a confirmation first, then the row says Off.
        var row = ui.Page.Locator("tr", new PageLocatorOptions { Has = ui.Page.GetByText("CRM sync") });
        await row.GetByTestId("row-actions").ClickAsync();
        await ui.TestId("action-disable").ClickAsync();
        await Assertions.Expect(ui.TestId("confirm-dialog")).ToContainTextAsync("Nothing will be sent while it is off");
        await ui.TestId("confirm-ok").ClickAsync();
        await Assertions.Expect(names).ToHaveTextAsync(["Team chat"]);
        await ui.Page.Locator("[data-filter=All]").ClickAsync();
        await Assertions.Expect(row.GetByTestId("enabled")).ToHaveAttributeAsync("data-enabled", "false");

        // The switch of a disabled webhook offers to turn it back on (health check first); cancelling leaves it off.
        var billingRow = ui.Page.Locator("tr", new PageLocatorOptions { Has = ui.Page.GetByText("Billing export") });
        await billingRow.GetByTestId("enabled").ClickAsync();
        await Assertions.Expect(ui.TestId("enable-dialog")).ToContainTextAsync("health check");
        await ui.Page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Cancel" }).ClickAsync();
        await Assertions.Expect(billingRow.GetByTestId("enabled")).ToHaveAttributeAsync("data-enabled", "false");
        await Assertions.Expect(billingRow.GetByTestId("enabled")).Not.ToBeCheckedAsync();
        ui.AssertNoErrors();
    }

    [Fact]
    public async Task A_test_event_shows_the_receivers_answer()
    {
        var id = await CreateAsync("CRM sync", "/crm", ["COMMENT_CREATED"]);
        Receiver.Respond(new ReceiverAnswer(202, "queued for processing"));

        await using var ui = await UiSession.StartAsync(browser, App);
        await ui.SignInAsync(TestApp.AdminEmail, TestApp.AdminPassword, $"/webhooks/{id}");
        await ui.TestId("detail-test").ClickAsync();
        await ui.TestId("test-send").ClickAsync();

        await Assertions.Expect(ui.TestId("test-result")).ToContainTextAsync("It worked: the receiver answered 202 Accepted");
        await Assertions.Expect(ui.TestId("test-response")).ToHaveTextAsync("queued for processing");
        var received = Assert.Single(Receiver.Requests);
        Assert.Equal("COMMENT_CREATED", received.Json.GetProperty("event").GetString());
        ui.AssertNoErrors();
    }

    [Fact]
    public async Task Rotating_the_secret_shows_the_new_one_once_and_keeps_the_old_one_for_the_chosen_time()
    {
        var id = await CreateAsync("CRM sync", "/crm");
        await using var ui = await UiSession.StartAsync(browser, App);
        await ui.SignInAsync(TestApp.AdminEmail, TestApp.AdminPassword, $"/webhooks/{id}");

        await ui.TestId("detail-more").ClickAsync();
        await ui.TestId("detail-rotate").ClickAsync();
        await ui.Page.Locator("[data-overlap='01:00:00']").ClickAsync();
        await ui.TestId("rotate-confirm").ClickAsync();

        var shown = await ui.TestId("secret-value").InnerTextAsync();
        await Assertions.Expect(ui.TestId("secret-overlap")).ToContainTextAsync("also carry a signature made with the old secret");
        var stored = await StoredAsync(id);
        Assert.Equal(App.Service<WebhookSecrets>().Unprotect(stored.ProtectedSecret), shown);
        Assert.NotNull(stored.ProtectedPreviousSecret);
        Assert.InRange(stored.PreviousSecretExpiresAt!.Value - stored.UpdatedAt, TimeSpan.FromMinutes(59), TimeSpan.FromMinutes(61));

        await ui.TestId("secret-done").ClickAsync();
        await Assertions.Expect(ui.TestId("secret-dialog")).ToHaveCountAsync(0);
        Assert.DoesNotContain(shown, await ui.Page.ContentAsync());
        ui.AssertNoErrors();
    }

    [Fact]
    public async Task Deleting_asks_with_the_webhooks_name_and_then_it_is_gone()
    {
        var id = await CreateAsync("Old billing export", "/billing");
        await using var ui = await UiSession.StartAsync(browser, App);
        await ui.SignInAsync(TestApp.AdminEmail, TestApp.AdminPassword, $"/webhooks/{id}");

        await ui.TestId("detail-more").ClickAsync();
        await ui.TestId("detail-delete").ClickAsync();
        await Assertions.Expect(ui.TestId("confirm-dialog")).ToContainTextAsync("\"Old billing export\" will stop receiving events right away");
        await ui.TestId("confirm-cancel").ClickAsync();
        await Admin.GetOk($"/api/v1/webhooks/{id}");

        await ui.TestId("detail-more").ClickAsync();
        await ui.TestId("detail-delete").ClickAsync();
        await ui.TestId("confirm-ok").ClickAsync();
        await ui.WaitForPathAsync(p => p == "/webhooks");
        await Assertions.Expect(ui.Page.Locator(".mud-snackbar")).ToContainTextAsync("Old billing export was deleted");
        await Admin.SendExpectAsync(HttpMethod.Get, $"/api/v1/webhooks/{id}", null, HttpStatusCode.NotFound);
        ui.AssertNoErrors();
    }

    private async Task<string> CreateAsync(string name, string path, string[]? events = null) =>
        (await Admin.PostOk("/api/v1/webhooks", new { url = Receiver.UrlFor(path), name, events }, HttpStatusCode.Created)).Str("id");

    private async Task<Webhook> StoredAsync(string id)
    {
        await using var db = await App.Service<Microsoft.EntityFrameworkCore.IDbContextFactory<AppDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
        return await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.Webhooks, w => w.Id == id, TestContext.Current.CancellationToken);
    }
}
