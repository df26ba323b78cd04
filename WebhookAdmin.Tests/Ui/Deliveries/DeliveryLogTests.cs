using System.Net;
using System.Security.Claims;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using WebhookAdmin.Features.Accounts;
using WebhookAdmin.Features.Deliveries;
using WebhookAdmin.Features.Deliveries.Pages;
using WebhookAdmin.Tests.Infrastructure;
using WebhookAdmin.Tests.Ui.Infrastructure;

namespace WebhookAdmin.Tests.Ui.Deliveries;

/// <summary>The delivery log's filters: from the address to the query and back, on the real services of a running app.</summary>
public sealed class DeliveryLogTests() : WorldTests(WorldOptions.Default with { Organization = SeedProject.Website })
{
    private readonly MudTestContext _ui = new();
    private IRenderedComponent<MudPopoverProvider> _popovers = null!;
    private string _crm = null!, _chat = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _crm = (await Admin.PostOk("/api/v1/webhooks", new { url = Receiver.UrlFor("/crm"), name = "CRM sync" }, HttpStatusCode.Created)).Str("id");
        _chat = (await Admin.PostOk("/api/v1/webhooks", new { url = Receiver.UrlFor("/chat"), name = "Team chat" }, HttpStatusCode.Created)).Str("id");
        // Turned off: its delivery is held.
        await Admin.PostOk($"/api/v1/webhooks/{_chat}/disable", null);
        await Admin.PostOk("/api/v1/events", new { @event = "TODO_CREATED", projectId = "acme-web" }, HttpStatusCode.Accepted);
        await Receiver.WaitForAsync(1);
        await Eventually.ReturnsAsync(() => Admin.GetOk($"/api/v1/deliveries?webhookId={_crm}&status=delivered"),
            page => page.GetProperty("pageInfo").GetProperty("totalItems").GetInt32() == 1, "the CRM delivery");

        _popovers = await SignInAsync(_ui, TestApp.AdminEmail, isAdmin: true);
    }

    public override async ValueTask DisposeAsync()
    {
        await _ui.DisposeAsync();
        await base.DisposeAsync();
    }

    [Fact]
    public void A_filter_survives_the_round_trip_through_the_query_string()
    {
        var filter = new LogFilter("wh1", "TODO_CREATED", "acme-web", "held", LogRange.Week, "evt_1");
        var query = filter.ToQuery();
        Assert.Equal("7d", query["range"]);
        Assert.Equal(filter, LogFilter.FromQuery((string?)query["webhook"], (string?)query["event"], (string?)query["project"],
            (string?)query["status"], (string?)query["range"], (string?)query["eventId"]));
        Assert.All(new LogFilter().ToQuery().Values, Assert.Null);
    }

    [Fact]
    public void Values_the_log_does_not_know_are_dropped_and_the_range_becomes_a_since()
    {
        var filter = LogFilter.FromQuery(" ", "NOT_AN_EVENT", null, "lost", "2y", null);
        Assert.True(filter.IsEmpty);

        var now = new DateTime(2026, 11, 27, 12, 0, 0, DateTimeKind.Utc);
        var query = LogFilter.FromQuery(null, null, null, "HELD", "24h", null).ToDeliveryFilter(now);
        Assert.Equal(DeliveryStatus.Held, query.Status);
        Assert.Equal(now.AddDays(-1), query.Since);
    }

    [Fact]
    public void The_log_opened_with_a_filtered_address_lists_only_what_it_names()
    {
        Navigation.NavigateTo($"/deliveries?status=held&webhook={_chat}");
        var log = _ui.RenderMud<DeliveryLog>();

        log.WaitForAssertion(() => Assert.Single(log.FindAll("[data-testid=log-delivery-link]")));
        Assert.Contains("Team chat", log.Find("[data-testid=log-grid]").TextContent);
        Assert.Contains("Held", log.Find("[data-testid=log-grid]").TextContent);
        Assert.Equal("held", StatusFilter(log).GetAttribute("value"));
    }

    [Fact]
    public void Choosing_a_status_puts_it_in_the_address_next_to_the_other_filters()
    {
        Navigation.NavigateTo($"/deliveries?webhook={_crm}");
        var log = _ui.RenderMud<DeliveryLog>();
        log.WaitForAssertion(() => Assert.Single(log.FindAll("[data-testid=log-delivery-link]")));

        log.Find("div.mud-select.log-filter-status").MouseDown();
        _popovers.WaitForAssertion(() => Assert.NotEmpty(_popovers.FindAll(".mud-list-item")));
        _popovers.FindAll(".mud-list-item").Single(i => i.TextContent.Trim() == "Delivered").Click();

        var uri = new Uri(Navigation.Uri);
        Assert.Contains($"webhook={_crm}", uri.Query);
        Assert.Contains("status=delivered", uri.Query);

        // The address alone reproduces the list: a fresh page on it shows the same filter.
        var again = _ui.RenderMud<DeliveryLog>();
        again.WaitForAssertion(() => Assert.Equal("delivered", StatusFilter(again).GetAttribute("value")));
        Assert.Single(again.FindAll("[data-testid=log-delivery-link]"));
    }

    [Fact]
    public async Task The_webhook_picker_finds_a_webhook_beyond_the_first_200_and_choosing_it_puts_it_in_the_address()
    {
        var zebra = await ManyWebhooksAsync();
        Navigation.NavigateTo("/deliveries?status=delivered");
        var log = _ui.RenderMud<DeliveryLog>();

        log.Find("input[data-testid=log-filter-webhook]").Input("zebra");
        var option = _popovers.WaitForElement(".webhook-picker-list .mud-list-item", Slow);
        Assert.Contains("Zebra archive", option.TextContent);
        // The address is shown with the name: two webhooks of the same name can be told apart.
        Assert.Contains(Receiver.UrlFor("/zebra"), option.TextContent);
        option.Click();

        log.WaitForAssertion(() =>
        {
            var uri = new Uri(Navigation.Uri);
            Assert.Contains($"webhook={zebra}", uri.Query);
            Assert.Contains("status=delivered", uri.Query);
        }, Slow);
        Assert.Equal("Zebra archive", WebhookPicker(log).GetAttribute("value"));
    }

    [Fact]
    public async Task A_log_address_naming_a_webhook_beyond_the_first_200_shows_its_name_in_the_picker()
    {
        var zebra = await ManyWebhooksAsync();
        Navigation.NavigateTo($"/deliveries?webhook={zebra}");
        var log = _ui.RenderMud<DeliveryLog>();

        log.WaitForAssertion(() => Assert.Equal("Zebra archive", WebhookPicker(log).GetAttribute("value")), Slow);
    }

    [Fact]
    public void Clearing_the_picker_clears_the_webhook_filter_and_keeps_the_others()
    {
        Navigation.NavigateTo($"/deliveries?webhook={_crm}&status=delivered");
        var log = _ui.RenderMud<DeliveryLog>();
        log.WaitForAssertion(() => Assert.Equal("CRM sync", WebhookPicker(log).GetAttribute("value")), Slow);

        log.Find(".log-filter-webhook .mud-input-clear-button").Click();

        log.WaitForAssertion(() =>
        {
            var uri = new Uri(Navigation.Uri);
            Assert.DoesNotContain("webhook=", uri.Query);
            Assert.Contains("status=delivered", uri.Query);
        }, Slow);
    }

    [Fact]
    public async Task A_non_administrators_picker_offers_only_their_own_webhooks()
    {
        await UiUsers.CreateAsync(App.Api(), "dana@example.com");
        var danaToken = await App.Api().TokenForAsync("dana@example.com", "webhooks");
        await App.Api(danaToken).PostOk("/api/v1/webhooks", new { url = Receiver.UrlFor("/dana"), name = "Dana CRM sync" }, HttpStatusCode.Created);
        await using var dana = new MudTestContext();
        var popovers = await SignInAsync(dana, "dana@example.com", isAdmin: false);
        var log = dana.RenderMud<DeliveryLog>();

        log.Find("input[data-testid=log-filter-webhook]").Input("CRM");

        popovers.WaitForAssertion(() =>
            Assert.Equal(["Dana CRM sync"], popovers.FindAll(".webhook-picker-list .webhook-option-name").Select(o => o.TextContent.Trim())), Slow);
    }

    // Timers (the picker's debounce) and real SQLite on 2 busy cores: more than bunit's 1 s default.
    private static readonly TimeSpan Slow = TimeSpan.FromSeconds(15);

    /// <summary>250 more webhooks, the oldest named "Zebra archive": last in the list's order (newest first), well past 200.</summary>
    private async Task<string> ManyWebhooksAsync()
    {
        var admin = App.Api();
        var zebra = (await admin.PostOk("/api/v1/webhooks", new { url = Receiver.UrlFor("/zebra"), name = "Zebra archive" }, HttpStatusCode.Created)).Str("id");
        for (var i = 2; i <= 250; i++)
            await admin.PostOk("/api/v1/webhooks", new { url = Receiver.UrlFor($"/bulk/{i}"), name = $"Bulk export {i}" }, HttpStatusCode.Created);
        return zebra;
    }

    private async Task<IRenderedComponent<MudPopoverProvider>> SignInAsync(MudTestContext ui, string email, bool isAdmin)
    {
        using var scope = App.Services.CreateScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(email);
        ui.UseServicesOf(App.Services);
        var auth = ui.AddAuthorization();
        auth.SetAuthorized(email);
        auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, user!.Id), new Claim(ClaimTypes.Email, email),
            new Claim(CurrentUser.AdminClaim, isAdmin ? "true" : "false"));
        return ui.RenderPopoverProvider();
    }

    private NavigationManager Navigation => _ui.Services.GetRequiredService<NavigationManager>();

    private static AngleSharp.Dom.IElement WebhookPicker(IRenderedComponent<DeliveryLog> log) => log.Find("input[data-testid=log-filter-webhook]");

    private static AngleSharp.Dom.IElement StatusFilter(IRenderedComponent<DeliveryLog> log) => log.Find(".log-filter-status input");
}
