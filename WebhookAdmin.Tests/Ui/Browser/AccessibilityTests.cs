using System.Globalization;
using System.Net;
using System.Text;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using WebhookAdmin.Tests.Infrastructure;
using WebhookAdmin.Tests.Ui.Infrastructure;

namespace WebhookAdmin.Tests.Ui.Browser;

/// <summary>
/// Every page of the admin app, and its main dialogs, on real data, judged by axe-core (ADR-022): no violation of
/// impact serious or critical. One case per page, so a failure names the page and lists each rule, impact, the
/// offending nodes' selectors and the rule's help.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AccessibilityTests(BrowserFixture browser, AccessibilityWorld world) : IClassFixture<AccessibilityWorld>
{
    public static TheoryData<string> Pages { get; } =
    [
        "login", "error", "not-found", "dashboard", "webhooks", "webhook", "webhook-disabled", "webhook-new", "webhook-edit",
        "deliveries", "delivery", "simulator", "settings-tokens", "settings-users", "settings-companies",
        "settings-company", "settings-project", "settings-notifications",
    ];

    /// <summary>The dark theme has a palette of its own: the pages where most of its colours show.</summary>
    public static TheoryData<string> DarkPages { get; } =
    [
        "login", "dashboard", "webhooks", "webhook", "webhook-disabled", "webhook-edit", "deliveries", "delivery",
        "settings-users", "not-found",
    ];

    public static TheoryData<string> Dialogs { get; } =
    [
        "create-token", "token-created", "create-user", "new-company", "remove-member", "webhook-secret", "webhook-test", "replay",
    ];

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task The_page_has_no_serious_or_critical_accessibility_violation(string page)
    {
        if (page is "login" or "error")
        {
            await using var anonymous = await UiSession.StartAsync(browser, world.App);
            if (page == "login")
            {
                await anonymous.GotoAsync("/login");
                await Assertions.Expect(anonymous.TestId("sign-in")).ToBeVisibleAsync();
            }
            else
            {
                // Not interactive (it must render even when the circuit cannot start): no marker to wait for.
                await anonymous.Page.GotoAsync("/Error");
                await Assertions.Expect(anonymous.Page.Locator("h1, .mud-typography-h5").First).ToBeVisibleAsync();
            }
            await AssertAccessibleAsync(anonymous, page);
            return;
        }

        var (path, ready) = PageToOpen(page);
        await using var ui = await SignedInAsync(path);
        if (new Uri(ui.Page.Url).PathAndQuery != path) await ui.GotoAsync(path);
        await Assertions.Expect(ready(ui)).ToBeVisibleAsync();
        await AssertAccessibleAsync(ui, page);
    }

    [Theory]
    [MemberData(nameof(DarkPages))]
    public async Task In_the_dark_theme_the_page_has_no_serious_or_critical_accessibility_violation(string page)
    {
        await using var ui = await UiSession.StartAsync(browser, world.App);
        await ui.UseDarkModeAsync(true);
        if (page == "login")
        {
            await ui.GotoAsync("/login");
            await Assertions.Expect(ui.TestId("sign-in")).ToBeVisibleAsync();
        }
        else
        {
            var (path, ready) = PageToOpen(page);
            await ui.SignInAsync(TestApp.AdminEmail, TestApp.AdminPassword, path);
            if (new Uri(ui.Page.Url).PathAndQuery != path) await ui.GotoAsync(path);
            await Assertions.Expect(ready(ui)).ToBeVisibleAsync();
        }
        // The theme is the cookie's: a page that ignored it would pass on light colours and prove nothing.
        var background = await ui.Page.EvaluateAsync<int[]>(
            "() => getComputedStyle(document.body).backgroundColor.match(/\\d+/g).slice(0, 3).map(Number)");
        Assert.True(background.Sum() < 3 * 96, $"The body is painted rgb({string.Join(", ", background)}), not a dark colour.");
        await AssertAccessibleAsync(ui, page + " (dark)");
    }

    [Theory]
    [MemberData(nameof(Dialogs))]
    public async Task The_dialog_has_no_serious_or_critical_accessibility_violation(string dialog)
    {
        switch (dialog)
        {
            case "create-token":
            case "token-created":
                {
                    await using var ui = await SignedInAsync("/settings/tokens");
                    await ui.TestId("new-token").ClickAsync();
                    await Assertions.Expect(ui.TestId("create-token-dialog")).ToBeVisibleAsync();
                    if (dialog == "token-created")
                    {
                        await ui.Field("token-name-field").FillAsync("Deploy script");
                        await ui.Page.Locator("input[data-scope='events:publish']").ClickAsync();
                        await ui.TestId("create-token").ClickAsync();
                        await Assertions.Expect(ui.TestId("token-value")).ToBeVisibleAsync();
                    }
                    await AssertAccessibleAsync(ui, dialog);
                    break;
                }
            case "create-user":
                {
                    await using var ui = await SignedInAsync("/settings/users");
                    await ui.TestId("new-user").ClickAsync();
                    await ui.Field("user-email").FillAsync("erin@example.com");
                    await ui.Field("user-password").FillAsync("erin2026");
                    await ui.TestId("create-user").ClickAsync();
                    // With its error text showing: the state in which a form is hardest to read.
                    await Assertions.Expect(ui.FieldControl("user-password")).ToContainTextAsync("The password still needs");
                    await AssertAccessibleAsync(ui, dialog);
                    break;
                }
            case "new-company":
                {
                    await using var ui = await SignedInAsync("/settings/companies");
                    await ui.TestId("new-company").ClickAsync();
                    await ui.Field("name-field").FillAsync("São Paulo Office");
                    await Assertions.Expect(ui.Field("id-field")).ToHaveValueAsync("sao-paulo-office");
                    await AssertAccessibleAsync(ui, dialog);
                    break;
                }
            case "remove-member":
                {
                    await using var ui = await SignedInAsync("/settings/projects/acme-web");
                    await ui.TestId("remove-member").First.ClickAsync();
                    await Assertions.Expect(ui.TestId("confirm-dialog")).ToBeVisibleAsync();
                    await AssertAccessibleAsync(ui, dialog);
                    break;
                }
            case "webhook-secret":
                {
                    await using var ui = await SignedInAsync("/webhooks/new");
                    await ui.Field("url").FillAsync(world.Receiver.UrlFor("/axe"));
                    await ui.Field("name").FillAsync("Axe check");
                    await ui.TestId("events-choose").ClickAsync();
                    await ui.Page.Locator("[data-event=TODO_CREATED]").ClickAsync();
                    await ui.TestId("projects-choose").ClickAsync();
                    await ui.Page.Locator("[data-project=acme-web]").ClickAsync();
                    await ui.TestId("save").ClickAsync();
                    await Assertions.Expect(ui.TestId("secret-value")).ToBeVisibleAsync();
                    await AssertAccessibleAsync(ui, dialog);
                    break;
                }
            case "webhook-test":
                {
                    await using var ui = await SignedInAsync($"/webhooks/{world.Crm}");
                    await ui.TestId("detail-test").ClickAsync();
                    await ui.TestId("test-send").ClickAsync();
                    await Assertions.Expect(ui.TestId("test-result")).ToBeVisibleAsync();
                    await AssertAccessibleAsync(ui, dialog);
                    break;
                }
            case "replay":
                {
                    await using var ui = await SignedInAsync($"/webhooks/{world.Crm}");
                    await ui.TestId("detail-replay").ClickAsync();
                    // With something to send: the CRM webhook's deliveries were delivered.
                    await ui.TestId("replay-statuses").GetByText("Delivered (already received once)").ClickAsync();
                    await Assertions.Expect(ui.TestId("replay-count")).ToContainTextAsync("would be sent again");
                    await AssertAccessibleAsync(ui, dialog);
                    break;
                }
            default:
                throw new ArgumentOutOfRangeException(nameof(dialog), dialog, "No such dialog in this test.");
        }
    }

    [Fact]
    public async Task A_webhook_is_created_with_the_keyboard_alone()
    {
        await using var ui = await SignedInAsync("/webhooks");
        await Assertions.Expect(ui.TestId("webhook-link").First).ToBeVisibleAsync();
        var keyboard = ui.Page.Keyboard;
        var url = world.Receiver.UrlFor("/typed");

        await TabToAsync(ui, ui.TestId("new-webhook"));
        await keyboard.PressAsync("Enter");
        await ui.WaitForPathAsync(p => p == "/webhooks/new");

        await TabToAsync(ui, ui.Field("url"));
        await keyboard.TypeAsync(url);
        await TabToAsync(ui, ui.Field("name"));
        await keyboard.TypeAsync("Typed by keyboard");

        // A radio group is one tab stop, on its checked radio; the arrow keys move the choice.
        await TabToAsync(ui, ui.TestId("events-all"));
        await keyboard.PressAsync("ArrowDown");
        await Assertions.Expect(Input(ui, "data-testid=events-choose")).ToBeCheckedAsync();
        foreach (var type in new[] { "TODO_CREATED", "COMMENT_CREATED" })
        {
            await TabToAsync(ui, Input(ui, $"data-event={type}"));
            await keyboard.PressAsync("Space");
            await Assertions.Expect(Input(ui, $"data-event={type}")).ToBeCheckedAsync();
        }

        await TabToAsync(ui, ui.TestId("projects-all"));
        await keyboard.PressAsync("ArrowDown");
        await Assertions.Expect(Input(ui, "data-testid=projects-choose")).ToBeCheckedAsync();
        await TabToAsync(ui, Input(ui, "data-project=globex-q4"));
        await keyboard.PressAsync("Space");
        await Assertions.Expect(Input(ui, "data-project=globex-q4")).ToBeCheckedAsync();
        await Assertions.Expect(ui.TestId("summary-sentence")).ToHaveTextAsync(
            $"Record created and Comment created events from Q4 campaign (Globex) will be sent to {url}.");

        await TabToAsync(ui, ui.TestId("save"));
        await keyboard.PressAsync("Enter");
        await Assertions.Expect(ui.TestId("secret-value")).ToBeVisibleAsync();
        await TabToAsync(ui, ui.TestId("secret-done"));
        await keyboard.PressAsync("Enter");
        await ui.WaitForPathAsync(p => System.Text.RegularExpressions.Regex.IsMatch(p, "^/webhooks/[0-9a-f]{32}$"));
        await Assertions.Expect(ui.TestId("webhook-name")).ToHaveTextAsync("Typed by keyboard");

        var stored = await world.Admin.GetOk($"/api/v1/webhooks/{new Uri(ui.Page.Url).Segments[^1]}");
        Assert.Equal(url, stored.Str("url"));
        Assert.Equal("Typed by keyboard", stored.Str("name"));
        Assert.Equal(["TODO_CREATED", "COMMENT_CREATED"], stored.GetProperty("events").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["globex-q4"], stored.GetProperty("projectIds").EnumerateArray().Select(e => e.GetString()));
        ui.AssertNoErrors();
    }

    [Fact]
    public async Task The_user_menu_opens_with_the_keyboard()
    {
        await using var ui = await SignedInAsync("/");
        await TabToAsync(ui, ui.Page.Locator(".mud-menu-activator", new PageLocatorOptions { Has = ui.TestId("user-menu") }), backwards: true);
        await ui.Page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(ui.TestId("sign-out")).ToBeVisibleAsync();
        ui.AssertNoErrors();
    }

    /// <summary>The input of a Mud checkbox or radio, whichever element carries the attribute.</summary>
    private static ILocator Input(UiSession ui, string attribute) => ui.Page.Locator($"input[{attribute}], [{attribute}] input").First;

    /// <summary>
    /// Presses Tab (only Tab: no click, no fill) until <paramref name="target"/> holds the focus, and insists the
    /// browser shows it (<c>:focus-visible</c>). The path to it is whatever the page's tab order is.
    /// </summary>
    private static async Task TabToAsync(UiSession ui, ILocator target, int maxPresses = 80, bool backwards = false)
    {
        await Assertions.Expect(target).ToBeAttachedAsync();
        for (var presses = 0; presses < maxPresses; presses++)
        {
            if (await target.EvaluateAsync<bool>("el => el.contains(document.activeElement)"))
            {
                Assert.True(await ui.Page.EvaluateAsync<bool>("() => document.activeElement.matches(':focus-visible')"),
                    $"The focus on {target} is not shown.");
                return;
            }
            await ui.Page.Keyboard.PressAsync(backwards ? "Shift+Tab" : "Tab");
        }
        var focused = await ui.Page.EvaluateAsync<string>("() => document.activeElement?.outerHTML.slice(0, 200) ?? 'nothing'");
        Assert.Fail($"{maxPresses} presses of Tab never reached {target}; the focus is on {focused}.");
    }

    private (string Path, Func<UiSession, ILocator> Ready) PageToOpen(string page) => page switch
    {
        "not-found" => ("/not-found", ui => ui.TestId("empty-state")),
        "dashboard" => ("/", ui => ui.TestId("retention-panel")),
        "webhooks" => ("/webhooks", ui => ui.TestId("webhook-link").First),
        "webhook" => ($"/webhooks/{world.Crm}", ui => ui.TestId("attempts-chart")),
        "webhook-disabled" => ($"/webhooks/{world.Billing}", ui => ui.TestId("disabled-banner")),
        "webhook-new" => ("/webhooks/new", ui => ui.Field("url")),
        "webhook-edit" => ($"/webhooks/{world.Crm}/edit", ui => ui.TestId("webhook-summary")),
        "deliveries" => ("/deliveries", ui => ui.TestId("log-delivery-link").First),
        "delivery" => ($"/deliveries/{world.Resent}", ui => ui.TestId("attempt").Nth(1)),
        "simulator" => ("/simulator", ui => ui.TestId("simulator-form")),
        "settings-tokens" => ("/settings/tokens", ui => ui.TestId("token-name").First),
        "settings-users" => ("/settings/users", ui => ui.TestId("user-grid").Locator("tbody tr").Nth(2)),
        "settings-companies" => ("/settings/companies", ui => ui.TestId("company-link").First),
        "settings-company" => ("/settings/companies/acme", ui => ui.TestId("project-link").First),
        "settings-project" => ("/settings/projects/acme-web", ui => ui.Page.Locator("[data-member]").First),
        "settings-notifications" => ("/settings/notifications", ui => ui.TestId("mail-status").First),
        _ => throw new ArgumentOutOfRangeException(nameof(page), page, "No such page in this test."),
    };

    private async Task<UiSession> SignedInAsync(string path)
    {
        var ui = await UiSession.StartAsync(browser, world.App);
        await ui.SignInAsync(TestApp.AdminEmail, TestApp.AdminPassword, path);
        return ui;
    }

    private static async Task AssertAccessibleAsync(UiSession ui, string what)
    {
        // Judged at rest: a dialog fading in has text at half its contrast.
        // Endless ones (a spinner) never settle and are not what is judged.
        await ui.Page.WaitForFunctionAsync(
            "() => document.getAnimations().every(a => a.playState !== 'running' || a.effect?.getComputedTiming().iterations === Infinity)");
        var result = await ui.Page.RunAxe();
        var blocking = result.Violations.Where(v => v.Impact is "serious" or "critical" && !IsTheUserMenusActivator(v)).ToList();
        var others = result.Violations.Except(blocking).ToList();
        if (others.Count > 0)
            Xunit.TestContext.Current.SendDiagnosticMessage($"{what}: minor or moderate accessibility findings (not failing):\n{Describe(others)}");
        Assert.True(blocking.Count == 0, $"{what} ({ui.Page.Url}) has {blocking.Count} serious or critical accessibility violation(s):\n{Describe(blocking)}");
        ui.AssertNoErrors();
    }

    /// <summary>
    /// The one finding let through, for that one element: MudMenu wraps a custom activator in a focusable
    /// <c>div role="button"</c> and leaves its keys to us, so the user menu's real button sits inside it
    /// (nested-interactive). Without the inner button Tab never reached the menu at all (keyboard users lost it), which
    /// is worse than a nested tab stop; a menu of our own would remove both and is on the list.
    /// </summary>
    private static bool IsTheUserMenusActivator(AxeResultItem violation) =>
        violation.Id == "nested-interactive" && violation.Nodes.All(n => n.Html.Contains("user-menu", StringComparison.Ordinal) || n.Html.Contains("mud-menu-activator", StringComparison.Ordinal));

    private static string Describe(IEnumerable<AxeResultItem> violations)
    {
        var text = new StringBuilder();
        foreach (var violation in violations)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- {violation.Id} ({violation.Impact}): {violation.Help} {violation.HelpUrl}");
            foreach (var node in violation.Nodes)
            {
                var checks = (node.Any ?? []).Concat(node.All ?? []).Concat(node.None ?? []).Select(c => c.Message);
                text.AppendLine(CultureInfo.InvariantCulture, $"    at {node.Target}: {node.Html}");
                text.AppendLine(CultureInfo.InvariantCulture, $"      {string.Join(" / ", checks)}");
            }
        }
        return text.ToString();
    }
}

/// <summary>
/// One app for every page of <see cref="AccessibilityTests"/>: two companies of two projects, webhooks healthy,
/// failing and disabled, deliveries with several attempts, tokens, users, members and a sent notification email.
/// </summary>
public sealed class AccessibilityWorld : IAsyncLifetime
{
    private TestSmtpServer _smtp = null!;
    private DeliveryWorld _world = null!;

    public TestApp App => _world.App;
    public TestReceiver Receiver => _world.Receiver;
    public HttpClient Admin => _world.Admin;
    public string Crm { get; private set; } = null!;
    public string Billing { get; private set; } = null!;
    public long Resent { get; private set; }

    public async ValueTask InitializeAsync()
    {
        _smtp = await TestSmtpServer.StartAsync();
        _world = await DeliveryWorld.StartAsync(_smtp.Into(WorldOptions.Default
            // Every case signs in: more than the default ten a minute for one account.
            .With("Limits:SignIn:PerAddress:PermitLimit", "1000000").With("Limits:SignIn:PerAccount:PermitLimit", "1000000")
            .With("Delivery:MaxAttempts", "2").With("Delivery:RetryDelays:0", "01:00:00") with
        { Organization = null }));
        var admin = _world.Admin;
        await ShowcaseOrganization.SeedAsync(admin, _world.Receiver);
        await UiUsers.CreateAsync(admin, "dana@example.com", "Dana Lima");
        await UiUsers.CreateAsync(admin, "rafael@example.com", "Rafael Souza", isAdmin: true);
        await admin.MemberAsync("acme-web", "dana@example.com");
        await admin.MemberAsync("acme-web", "rafael@example.com", "admin");
        await admin.PostOk("/api/v1/tokens", new { name = "CRM sync", scopes = new[] { "webhooks" } }, HttpStatusCode.Created);
        await admin.PostOk("/api/v1/tokens", new { name = "Event publisher", scopes = new[] { "events:publish" } }, HttpStatusCode.Created);

        Crm = await WebhookAsync("CRM sync", "/crm", ["TODO_CREATED", "TODO_DONE_STATUS_UPDATED", "COMMENT_CREATED"], ["acme-web", "globex-onb"]);
        await WebhookAsync("Inventory updates", "/inventory", ["TODO_MOVED", "TODO_CREATED"], ["acme-mobile"]);
        Billing = await WebhookAsync("Billing export", "/billing", ["TODO_DONE_STATUS_UPDATED"], ["globex-onb", "globex-q4"]);
        foreach (var type in new[] { "TODO_CREATED", "COMMENT_CREATED", "TODO_DONE_STATUS_UPDATED", "TODO_MOVED" })
            foreach (var project in new[] { "acme-web", "globex-onb", "acme-mobile", "globex-q4" })
                await admin.PostOk("/api/v1/events", new { @event = type, projectId = project, currentValue = new { title = $"{type} in {project}" } }, HttpStatusCode.Accepted);
        await Eventually.ReturnsAsync(() => admin.GetOk($"/api/v1/webhooks/{Billing}"), w => !w.GetProperty("enabled").GetBoolean(), "the retired endpoint to disable its webhook");
        await Eventually.ReturnsAsync(() => admin.GetOk($"/api/v1/webhooks/{Crm}/health"), h => h.GetProperty("attempts24h").GetInt32() >= 4, "the CRM deliveries");
        Resent = (await admin.GetOk($"/api/v1/deliveries?webhookId={Crm}&status=delivered&take=1")).GetProperty("items")[0].GetProperty("id").GetInt64();
        await admin.PostOk($"/api/v1/deliveries/{Resent}/resend", null, HttpStatusCode.Accepted);
        await Eventually.ReturnsAsync(() => admin.GetOk($"/api/v1/deliveries/{Resent}"), d => d.GetProperty("attemptLog").GetArrayLength() == 2, "the resend");
        // The disabled webhook's email to its owner, for the notifications page's log.
        await _smtp.WaitForAsync(1);
    }

    private async Task<string> WebhookAsync(string name, string path, string[] events, string[] projectIds)
    {
        var created = await _world.Admin.PostOk("/api/v1/webhooks", new { url = _world.Receiver.UrlFor(path), name, events, projectIds }, HttpStatusCode.Created);
        return created.Str("id");
    }

    public async ValueTask DisposeAsync()
    {
        await _world.DisposeAsync();
        await _smtp.DisposeAsync();
    }
}
