using Microsoft.Playwright;
using WebhookAdmin.Tests.Infrastructure;
using WebhookAdmin.Tests.Ui.Infrastructure;

namespace WebhookAdmin.Tests.Ui.Browser;

/// <summary>
/// Every admin page under the content security policy (ADR-016), in Chromium: no console error, no policy violation,
/// and the page still reacts to a click (MudBlazor's scripts and the circuit both run).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ContentSecurityPolicyTests(BrowserFixture browser) : WorldTests(WorldOptions.Default)
{
    /// <summary>Collects what the browser refused; the console also says it, this names the directive.</summary>
    private const string RecordViolations =
        "window.__cspViolations = []; document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));";

    [Fact]
    public async Task Every_page_runs_under_the_policy_without_an_error_or_a_violation()
    {
        var (webhook, _) = await World.CreateWebhookAsync(Receiver.UrlFor("/hooks"), "TODO_CREATED");
        await World.PublishAsync();
        var delivery = (await World.DeliveriesAsync(webhook))[0].GetProperty("id").GetInt64();
        string[] pages =
        [
            "/", "/webhooks", "/webhooks/new", $"/webhooks/{webhook}", $"/webhooks/{webhook}/edit", "/deliveries",
            $"/deliveries/{delivery}", "/simulator", "/settings", "/settings/tokens", "/settings/users", "/settings/companies",
            $"/settings/companies/{World.Organization!.CompanyId}", $"/settings/projects/{DeliveryWorld.ProjectId}",
        ];

        await using var ui = await UiSession.StartAsync(browser, App);
        await ui.Context.AddInitScriptAsync(RecordViolations);
        var login = await ui.Page.GotoAsync("/login");
        Assert.Contains("script-src 'self' 'nonce-", await login!.HeaderValueAsync("content-security-policy") ?? "", StringComparison.Ordinal);
        await ui.SignInAsync(TestApp.AdminEmail, TestApp.AdminPassword);

        foreach (var page in pages)
        {
            await ui.GotoAsync(page);
            await ui.Page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            Assert.True(await ViolationsAsync(ui) is [], $"{page}: {string.Join(", ", await ViolationsAsync(ui))}");
        }

        // A click still works: the user menu is a MudBlazor popover, opened through its script and the circuit.
        await ui.GotoAsync("/webhooks");
        await ui.TestId("user-menu").ClickAsync();
        await Assertions.Expect(ui.TestId("sign-out")).ToBeVisibleAsync();
        ui.AssertNoErrors();
    }

    [Fact]
    public async Task The_check_sees_a_script_the_policy_refuses()
    {
        // The sweep above is only as good as its listener: an injected inline script must be caught.
        await using var ui = await UiSession.StartAsync(browser, App);
        await ui.Context.AddInitScriptAsync(RecordViolations);
        await ui.GotoAsync("/login");
        await ui.Page.EvaluateAsync("() => { const s = document.createElement('script'); s.textContent = 'window.injected = 1'; document.body.appendChild(s); }");
        await Assertions.Expect(ui.Page.Locator("body")).ToBeVisibleAsync();
        Assert.Contains(await ViolationsAsync(ui), v => v.StartsWith("script-src", StringComparison.Ordinal));
        Assert.Null(await ui.Page.EvaluateAsync<int?>("() => window.injected ?? null"));
        Assert.Contains(ui.Errors, e => e.Contains("Content Security Policy", StringComparison.Ordinal));
    }

    private static Task<string[]> ViolationsAsync(UiSession ui) => ui.Page.EvaluateAsync<string[]>("() => window.__cspViolations");
}
