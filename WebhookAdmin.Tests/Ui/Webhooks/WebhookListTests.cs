using System.Net;
using Bunit;
using WebhookAdmin.Features.Webhooks.Pages;
using WebhookAdmin.Tests.Infrastructure;
using WebhookAdmin.Tests.Ui.Settings;

namespace WebhookAdmin.Tests.Ui.Webhooks;

/// <summary>The webhook list's search on the real services: what a person types is looked for as written.</summary>
public sealed class WebhookListTests : IAsyncLifetime
{
    private readonly TestApp _app = new();
    private SettingsUi _ui = null!;

    public async ValueTask InitializeAsync()
    {
        var admin = _app.Api();
        // Each pair: the name searched for, and one a LIKE wildcard would wrongly take for it.
        foreach (var name in new[] { "50% off sale", "5000 orders", "a_b export", "axb export", @"back\slash", "backup" })
            await admin.PostOk("/api/v1/webhooks", new { url = "http://127.0.0.1:9/hook", name }, HttpStatusCode.Created);
        _ui = await SettingsUi.SignInAsync(_app, TestApp.AdminEmail);
    }

    public async ValueTask DisposeAsync()
    {
        await _ui.DisposeAsync();
        await _app.DisposeAsync();
    }

    [Theory]
    [InlineData("50%", "50% off sale")]
    [InlineData("a_b", "a_b export")]
    [InlineData(@"back\", @"back\slash")]
    public void A_search_with_a_percent_sign_underscore_or_backslash_finds_only_names_with_exactly_that(string search, string found)
    {
        var list = _ui.Render<WebhookList>();
        list.WaitForAssertion(() => Assert.Equal(6, Names(list).Count), TimeSpan.FromSeconds(10));

        list.Find("input[data-testid=webhook-search]").Input(search);

        list.WaitForAssertion(() => Assert.Equal([found], Names(list)), TimeSpan.FromSeconds(10));
    }

    private static List<string> Names(IRenderedComponent<WebhookList> list) =>
        list.FindAll("[data-testid=webhook-link]").Select(link => link.TextContent.Trim()).ToList();
}
