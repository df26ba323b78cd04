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
public sealed class DeliveryLogTests : IAsyncLifetime
{
    private readonly TestApp _app = new();
    private readonly MudTestContext _ui = new();
    private TestReceiver _receiver = null!;
    private IRenderedComponent<MudPopoverProvider> _popovers = null!;
    private string _crm = null!, _chat = null!;

    public async ValueTask InitializeAsync()
    {
        _receiver = await TestReceiver.StartAsync();
        var admin = _app.Api();
        await admin.CompanyAsync("acme", "Acme Corp");
        await admin.ProjectAsync("acme-web", "acme", "Website relaunch");
        await admin.MemberAsync("acme-web", TestApp.AdminEmail, "admin");
        _crm = (await admin.PostOk("/api/v1/webhooks", new { url = _receiver.UrlFor("/crm"), name = "CRM sync" }, HttpStatusCode.Created)).Str("id");
        _chat = (await admin.PostOk("/api/v1/webhooks", new { url = _receiver.UrlFor("/chat"), name = "Team chat" }, HttpStatusCode.Created)).Str("id");
        // Turned off: its delivery is held.
        await admin.PostOk($"/api/v1/webhooks/{_chat}/disable", null);
        await admin.PostOk("/api/v1/events", new { @event = "TODO_CREATED", projectId = "acme-web" }, HttpStatusCode.Accepted);
        await _receiver.WaitForAsync(1);
        await Eventually.ReturnsAsync(() => admin.GetOk($"/api/v1/deliveries?webhookId={_crm}&status=delivered"),
            page => page.GetProperty("pageInfo").GetProperty("totalItems").GetInt32() == 1, "the CRM delivery");

        using var scope = _app.Services.CreateScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(TestApp.AdminEmail);
        _ui.UseServicesOf(_app.Services);
        var auth = _ui.AddAuthorization();
        auth.SetAuthorized(TestApp.AdminEmail);
        auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, user!.Id), new Claim(ClaimTypes.Email, TestApp.AdminEmail), new Claim(CurrentUser.AdminClaim, "true"));
        _popovers = _ui.RenderPopoverProvider();
    }

    public async ValueTask DisposeAsync()
    {
        await _ui.DisposeAsync();
        await _receiver.DisposeAsync();
        await _app.DisposeAsync();
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

    private NavigationManager Navigation => _ui.Services.GetRequiredService<NavigationManager>();

    private static AngleSharp.Dom.IElement StatusFilter(IRenderedComponent<DeliveryLog> log) => log.Find(".log-filter-status input");
}
