using System.Net;
using Microsoft.Playwright;
using WebhookAdmin.Tests.Infrastructure;
using WebhookAdmin.Tests.Ui.Infrastructure;

namespace WebhookAdmin.Tests.Ui.Browser;

/// <summary>
/// Every page in light and dark (and a phone-sized screen), on realistic data, saved under docs/screenshots/.
/// Also a sweep for browser errors: every page is opened and none may log one.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ScreenshotTests(BrowserFixture browser) : WorldTests(
    // Two attempts, an hour apart: a failing receiver shows as "Failing" (retry pending) rather than disabled at once.
    // Two companies of two projects each, made below, in the order the pages have always shown them.
    WorldOptions.Default.With("Delivery:MaxAttempts", "2").With("Delivery:RetryDelays:0", "01:00:00") with { Organization = null })
{
    private string _crm = null!, _billing = null!;
    private long _resent, _failed;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        await ShowcaseOrganization.SeedAsync(Admin, Receiver);

        _crm = await WebhookAsync("CRM sync", "/crm", ["TODO_CREATED", "TODO_DONE_STATUS_UPDATED", "COMMENT_CREATED"], ["acme-web", "globex-onb"]);
        await WebhookAsync("Team chat notifications", "/chat", [], []);
        var inventory = await WebhookAsync("Inventory updates", "/inventory", ["TODO_MOVED", "TODO_CREATED"], ["acme-mobile"]);
        _billing = await WebhookAsync("Billing export", "/billing", ["TODO_DONE_STATUS_UPDATED"], ["globex-onb", "globex-q4"]);

        var events = new[] { "TODO_CREATED", "COMMENT_CREATED", "TODO_DONE_STATUS_UPDATED", "TODO_MOVED" };
        var projects = new[] { "acme-web", "globex-onb", "acme-mobile", "globex-q4" };
        foreach (var type in events)
            foreach (var project in projects)
                await Admin.PostOk("/api/v1/events", new { @event = type, projectId = project, currentValue = new { title = $"{type} in {project}" } }, HttpStatusCode.Accepted);
        await Eventually.ReturnsAsync(() => Admin.GetOk($"/api/v1/webhooks/{_billing}"), w => !w.GetProperty("enabled").GetBoolean(), "the retired endpoint to disable its webhook");
        await Eventually.ReturnsAsync(() => Admin.GetOk($"/api/v1/webhooks/{_crm}/health"), h => h.GetProperty("attempts24h").GetInt32() >= 4, "the CRM deliveries");

        // One delivery with a scheduled and a manual attempt, for the delivery page's timeline.
        _resent = (await Admin.GetOk($"/api/v1/deliveries?webhookId={_crm}&status=delivered&take=1")).GetProperty("items")[0].GetProperty("id").GetInt64();
        await Admin.PostOk($"/api/v1/deliveries/{_resent}/resend", null, HttpStatusCode.Accepted);
        await Eventually.ReturnsAsync(() => Admin.GetOk($"/api/v1/deliveries/{_resent}"), d => d.GetProperty("attemptLog").GetArrayLength() == 2, "the resend");

        // A delivery whose first attempt failed (503), waiting for its retry: the delivery page in Portuguese.
        var failing = await Eventually.ReturnsAsync(() => Admin.GetOk($"/api/v1/deliveries?webhookId={inventory}&take=1"),
            page => page.GetProperty("items").GetArrayLength() > 0 && page.GetProperty("items")[0].GetProperty("attempts").GetInt32() > 0, "a failed inventory attempt");
        _failed = failing.GetProperty("items")[0].GetProperty("id").GetInt64();
    }

    [Fact]
    public async Task Every_page_in_light_and_dark_without_browser_errors()
    {
        await using (var anonymous = await UiSession.StartAsync(browser, App))
        {
            await ShootAsync(anonymous, "/login", "01-sign-in");
            anonymous.AssertNoErrors();
        }

        await using var ui = await UiSession.StartAsync(browser, App);
        await ui.SignInAsync(TestApp.AdminEmail, TestApp.AdminPassword);
        await ShootAsync(ui, "/", "02-dashboard", ready: ui.TestId("retention-panel"));
        await ShootAsync(ui, "/webhooks", "03-webhooks", ready: ui.TestId("webhook-link").First);
        await ShootAsync(ui, $"/webhooks/{_crm}", "05-webhook-detail", ready: ui.TestId("attempts-chart"));
        await ShootAsync(ui, $"/webhooks/{_billing}", "06-webhook-disabled", ready: ui.TestId("disabled-banner"));
        await ShootAsync(ui, $"/webhooks/{_crm}/edit", "07-webhook-edit", ready: ui.TestId("webhook-summary"));
        await ShootAsync(ui, $"/deliveries/{_resent}", "17-delivery-detail", ready: ui.TestId("attempt").Nth(1));

        foreach (var dark in new[] { false, true })
        {
            var theme = dark ? "dark" : "light";
            await ui.UseDarkModeAsync(dark);
            await ui.GotoAsync("/webhooks/new");
            await ui.Field("url").FillAsync("https://crm.example.com/webhooks/blue");
            await ui.Field("name").FillAsync("CRM sync");
            await ui.TestId("events-choose").ClickAsync();
            await ui.TestId("group-Comments").ClickAsync();
            await ui.Page.Locator("[data-event=TODO_CREATED]").ClickAsync();
            await ui.TestId("projects-choose").ClickAsync();
            await ui.TestId("company-globex").ClickAsync();
            await ui.Page.Locator("[data-project=acme-web]").ClickAsync();
            await ui.ScreenshotAsync($"04-webhook-new-{theme}");

            await ui.TestId("save").ClickAsync();
            await Assertions.Expect(ui.TestId("secret-value")).ToBeVisibleAsync();
            await ui.ScreenshotAsync($"08-secret-dialog-{theme}", fullPage: false);
            await ui.TestId("secret-done").ClickAsync();
            await ui.WaitForPathAsync(p => System.Text.RegularExpressions.Regex.IsMatch(p, "^/webhooks/[0-9a-f]{32}$"));

            await ui.GotoAsync($"/webhooks/{_crm}");
            await ui.TestId("detail-test").ClickAsync();
            await ui.TestId("test-send").ClickAsync();
            await Assertions.Expect(ui.TestId("test-result")).ToBeVisibleAsync();
            await ui.ScreenshotAsync($"09-test-dialog-{theme}", fullPage: false);
            await ui.Page.Keyboard.PressAsync("Escape");

            // The simulator after publishing: Record created in Acme's Mobile app reaches two webhooks, one of them failing.
            await ui.GotoAsync("/simulator");
            await ui.TestId("sim-publish").ClickAsync();
            await Assertions.Expect(ui.TestId("sim-delivery")).ToHaveCountAsync(2);
            await Assertions.Expect(ui.TestId("sim-results").Locator("[data-status=delivered]")).ToHaveCountAsync(1);
            await ui.ScreenshotAsync($"18-simulator-{theme}");

            await ui.GotoAsync($"/webhooks/{_billing}");
            await ui.TestId("detail-enable").ClickAsync();
            await Assertions.Expect(ui.TestId("enable-dialog")).ToBeVisibleAsync();
            await ui.ScreenshotAsync($"10-enable-dialog-{theme}", fullPage: false);
            await ui.Page.Keyboard.PressAsync("Escape");
        }
        ui.AssertNoErrors();
    }

    [Fact]
    public async Task The_main_pages_on_a_phone_and_in_Portuguese()
    {
        await using var phone = await UiSession.StartAsync(browser, App, new UiSessionOptions(Width: 390, Height: 844));
        await phone.SignInAsync(TestApp.AdminEmail, TestApp.AdminPassword);
        await Assertions.Expect(phone.TestId("retention-panel")).ToBeVisibleAsync();
        await phone.ScreenshotAsync("11-phone-dashboard");
        await phone.GotoAsync("/webhooks");
        await Assertions.Expect(phone.TestId("webhook-link").First).ToBeVisibleAsync();
        await phone.ScreenshotAsync("12-phone-webhooks");
        await phone.GotoAsync($"/webhooks/{_crm}");
        await Assertions.Expect(phone.TestId("health-panel")).ToBeVisibleAsync();
        await phone.ScreenshotAsync("13-phone-webhook-detail");
        await phone.GotoAsync($"/deliveries/{_resent}");
        await Assertions.Expect(phone.TestId("attempt").Nth(1)).ToBeVisibleAsync();
        await phone.ScreenshotAsync("20-phone-delivery-detail");
        phone.AssertNoErrors();

        await using var portuguese = await UiSession.StartAsync(browser, App);
        await portuguese.Context.AddCookiesAsync([new Microsoft.Playwright.Cookie { Name = ".AspNetCore.Culture", Value = "c=pt-BR|uic=pt-BR", Url = App.BaseAddress.ToString() }]);
        await portuguese.SignInAsync(TestApp.AdminEmail, TestApp.AdminPassword);
        await Assertions.Expect(portuguese.Page.Locator("h1")).ToHaveTextAsync("Painel");
        await Assertions.Expect(portuguese.TestId("retention-panel")).ToContainTextAsync("Armazenamento e histórico");
        await portuguese.ScreenshotAsync("14-dashboard-pt-BR");
        await portuguese.GotoAsync($"/webhooks/{_billing}");
        await Assertions.Expect(portuguese.TestId("disabled-banner")).ToBeVisibleAsync();
        await Assertions.Expect(portuguese.TestId("disabled-reason")).ToContainTextAsync("o destino respondeu 410 Gone");
        await portuguese.ScreenshotAsync("15-webhook-disabled-pt-BR");
        await portuguese.GotoAsync($"/deliveries/{_failed}");
        await Assertions.Expect(portuguese.TestId("attempt-outcome").First).ToHaveTextAsync("o destino respondeu 503 Service Unavailable");
        await portuguese.ScreenshotAsync("21-delivery-failed-pt-BR");
        portuguese.AssertNoErrors();
    }

    /// <summary>The log on its own, so its shots can be made again without the whole tour.</summary>
    [Fact]
    public async Task The_delivery_log_and_its_webhook_picker_in_light_and_dark_and_on_a_phone()
    {
        // A second "CRM sync" (another address): the open picker shows how two of the same name are told apart.
        await WebhookAsync("CRM sync", "/crm-eu", ["TODO_CREATED"], ["acme-web"]);

        await using var ui = await UiSession.StartAsync(browser, App);
        await ui.SignInAsync(TestApp.AdminEmail, TestApp.AdminPassword);
        await ShootAsync(ui, "/deliveries", "16-delivery-log", ready: ui.TestId("log-delivery-link").First);
        foreach (var dark in new[] { false, true })
        {
            await ui.UseDarkModeAsync(dark);
            await ui.GotoAsync("/deliveries");
            await Assertions.Expect(ui.TestId("log-delivery-link").First).ToBeVisibleAsync();
            await ui.Field("log-filter-webhook").ClickAsync();
            await ui.Field("log-filter-webhook").PressSequentiallyAsync("crm");
            await Assertions.Expect(ui.Field("log-filter-webhook")).ToHaveValueAsync("crm");
            await Assertions.Expect(ui.Page.Locator(".webhook-picker-list .mud-list-item")).ToHaveCountAsync(2);
            await ui.ScreenshotAsync($"16-delivery-log-picker-{(dark ? "dark" : "light")}", fullPage: false);
        }
        await ui.UseDarkModeAsync(false);
        ui.AssertNoErrors();

        await using var phone = await UiSession.StartAsync(browser, App, new UiSessionOptions(Width: 390, Height: 844));
        await phone.SignInAsync(TestApp.AdminEmail, TestApp.AdminPassword, $"/deliveries?webhook={_crm}");
        await Assertions.Expect(phone.TestId("log-delivery-link").First).ToBeVisibleAsync();
        await Assertions.Expect(phone.Field("log-filter-webhook")).ToHaveValueAsync("CRM sync");
        await phone.ScreenshotAsync("19-phone-delivery-log");
        phone.AssertNoErrors();
    }

    [Fact]
    public async Task The_settings_pages_in_light_and_dark_and_on_a_phone()
    {
        await UiUsers.CreateAsync(Admin, "dana@example.com", "Dana Lima");
        await UiUsers.CreateAsync(Admin, "rafael@example.com", "Rafael Souza", isAdmin: true);
        await Admin.MemberAsync("acme-web", "dana@example.com");
        await Admin.MemberAsync("acme-web", "rafael@example.com", "admin");
        await Admin.MemberAsync("acme-web", "sync-bot@example.com");
        await Admin.PostOk("/api/v1/tokens", new { name = "CRM sync", scopes = new[] { "webhooks" } }, HttpStatusCode.Created);
        await Admin.PostOk("/api/v1/tokens", new { name = "Event publisher", scopes = new[] { "events:publish" } }, HttpStatusCode.Created);

        await using var ui = await UiSession.StartAsync(browser, App);
        await ui.SignInAsync(TestApp.AdminEmail, TestApp.AdminPassword);
        await ShootAsync(ui, "/settings/tokens", "30-settings-tokens", ready: ui.TestId("token-name").First);
        await ShootAsync(ui, "/settings/users", "32-settings-users", ready: ui.TestId("user-grid").Locator("tbody tr").Nth(2));
        await ShootAsync(ui, "/settings/companies", "33-settings-companies", ready: ui.TestId("company-link").First);
        await ShootAsync(ui, "/settings/projects/acme-web", "34-settings-members", ready: ui.Page.Locator("[data-member]").First);

        foreach (var dark in new[] { false, true })
        {
            var theme = dark ? "dark" : "light";
            await ui.UseDarkModeAsync(dark);
            await ui.GotoAsync("/settings/tokens");
            await ui.TestId("new-token").ClickAsync();
            await ui.Field("token-name-field").FillAsync($"Deploy script ({theme})");
            await ui.Page.Locator("input[data-scope='events:publish']").ClickAsync();
            await ui.ScreenshotAsync($"31-token-new-{theme}", fullPage: false);
            await ui.TestId("create-token").ClickAsync();
            await Assertions.Expect(ui.TestId("token-value")).ToBeVisibleAsync();
            await ui.ScreenshotAsync($"31-token-created-{theme}", fullPage: false);
            await ui.TestId("token-done").ClickAsync();

            await ui.GotoAsync("/settings/users");
            await ui.TestId("new-user").ClickAsync();
            await ui.Field("user-email").FillAsync("erin@example.com");
            await ui.Field("user-display-name").FillAsync("Erin Costa");
            await ui.Field("user-password").FillAsync("erin2026");
            await ui.TestId("create-user").ClickAsync();
            await Assertions.Expect(ui.FieldControl("user-password")).ToContainTextAsync("The password still needs");
            await ui.ScreenshotAsync($"32-user-new-{theme}", fullPage: false);
            await ui.Page.Keyboard.PressAsync("Escape");

            await ui.GotoAsync("/settings/companies");
            await ui.TestId("new-company").ClickAsync();
            await ui.Field("name-field").FillAsync("São Paulo Office");
            await Assertions.Expect(ui.Field("id-field")).ToHaveValueAsync("sao-paulo-office");
            await ui.ScreenshotAsync($"33-company-new-{theme}", fullPage: false);
            await ui.Page.Keyboard.PressAsync("Escape");

            await ui.GotoAsync("/settings/projects/acme-web");
            await ui.Page.Locator("[data-member='dana@example.com']").WaitForAsync();
            await ui.TestId("remove-member").First.ClickAsync();
            await Assertions.Expect(ui.TestId("confirm-dialog")).ToBeVisibleAsync();
            await ui.ScreenshotAsync($"34-member-remove-{theme}", fullPage: false);
            await ui.Page.Keyboard.PressAsync("Escape");
        }
        await ui.UseDarkModeAsync(false);
        ui.AssertNoErrors();

        await using var phone = await UiSession.StartAsync(browser, App, new UiSessionOptions(Width: 390, Height: 844));
        await phone.SignInAsync(TestApp.AdminEmail, TestApp.AdminPassword, "/settings/tokens");
        await Assertions.Expect(phone.TestId("token-name").First).ToBeVisibleAsync();
        await phone.ScreenshotAsync("35-phone-settings-tokens");
        await phone.GotoAsync("/settings/projects/acme-web");
        await Assertions.Expect(phone.Page.Locator("[data-member]").First).ToBeVisibleAsync();
        await phone.ScreenshotAsync("36-phone-settings-members");
        phone.AssertNoErrors();
    }

    private static async Task ShootAsync(UiSession ui, string path, string name, ILocator? ready = null)
    {
        foreach (var dark in new[] { false, true })
        {
            await ui.UseDarkModeAsync(dark);
            await ui.GotoAsync(path);
            if (ready is not null) await Assertions.Expect(ready).ToBeVisibleAsync();
            await ui.ScreenshotAsync($"{name}-{(dark ? "dark" : "light")}");
        }
        await ui.UseDarkModeAsync(false);
    }

    private async Task<string> WebhookAsync(string name, string path, string[] events, string[] projectIds)
    {
        var created = await Admin.PostOk("/api/v1/webhooks", new { url = Receiver.UrlFor(path), name, events, projectIds }, HttpStatusCode.Created);
        return created.Str("id");
    }
}
