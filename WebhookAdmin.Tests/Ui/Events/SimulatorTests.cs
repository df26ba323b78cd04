using System.Security.Claims;
using Bunit;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebhookAdmin.Data;
using WebhookAdmin.Features.Accounts;
using WebhookAdmin.Features.Events.Pages;
using WebhookAdmin.Tests.Infrastructure;
using WebhookAdmin.Tests.Ui.Infrastructure;

namespace WebhookAdmin.Tests.Ui.Events;

/// <summary>The simulator's JSON boxes and its publish, rendered by bunit on the real services of a running app.</summary>
public sealed class SimulatorTests : IAsyncLifetime
{
    private readonly TestApp _app = new();
    private readonly MudTestContext _ui = new();

    public async ValueTask InitializeAsync()
    {
        var admin = _app.Api();
        await admin.CompanyAsync("acme", "Acme Corp");
        await admin.ProjectAsync("acme-web", "acme", "Website relaunch");
        await UiUsers.CreateAsync(admin, "dana@example.com");
        _ui.UseServicesOf(_app.Services);
    }

    public async ValueTask DisposeAsync()
    {
        await _ui.DisposeAsync();
        await _app.DisposeAsync();
    }

    [Theory]
    [InlineData("", typeof(SimulatorJson.Empty))]
    [InlineData("   \n ", typeof(SimulatorJson.Empty))]
    [InlineData("""{ "title": "Draft" }""", typeof(SimulatorJson.Valid))]
    [InlineData("null", typeof(SimulatorJson.Valid))]
    [InlineData("""{ "title": "Draft", }""", typeof(SimulatorJson.Invalid))]
    [InlineData("title: Draft", typeof(SimulatorJson.Invalid))]
    public void A_box_holds_nothing_a_json_value_or_text_that_is_not_json(string text, Type expected) =>
        Assert.IsType(expected, SimulatorJson.Parse(text));

    [Fact]
    public void Invalid_json_says_where_the_mistake_is_counting_from_one()
    {
        var invalid = Assert.IsType<SimulatorJson.Invalid>(SimulatorJson.Parse("{\n  \"title\": \"Draft\"\n  \"done\": true\n}"));
        Assert.Equal(3, invalid.Line);
        Assert.Equal(3, invalid.Position);
    }

    [Fact]
    public async Task Invalid_json_publishes_nothing_and_a_valid_event_that_matches_no_webhook_says_why()
    {
        await SignInAsync(TestApp.AdminEmail, admin: true);
        var page = _ui.RenderMud<Simulator>();
        page.WaitForElement("[data-testid=sim-publish]");

        page.Find("textarea[data-testid=sim-current]").Input("{ \"title\": ");
        page.Find("button[data-testid=sim-publish]").Click();
        page.WaitForAssertion(() => Assert.Contains("This is not valid JSON (line 1, position 12)",
            page.Find("textarea[data-testid=sim-current]").Closest(".mud-input-control")!.TextContent));
        Assert.Equal(0, await EventCountAsync());
        Assert.Empty(page.FindAll("[data-testid=sim-event-id]"));

        page.Find("textarea[data-testid=sim-current]").Input("""{ "title": "Launch plan" }""");
        page.Find("button[data-testid=sim-publish]").Click();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=sim-no-match]")));
        Assert.Contains("No webhook matched this event", page.Find("[data-testid=sim-no-match]").TextContent);
        Assert.Equal(1, await EventCountAsync());
        var stored = await StoredEventAsync();
        Assert.Equal(page.Find("[data-testid=sim-event-id]").TextContent.Trim(), stored.Id);
        Assert.Equal("TODO_CREATED", stored.Type);
        Assert.Equal("acme-web", stored.ProjectId);
        Assert.Equal("""{ "title": "Launch plan" }""", stored.CurrentValueJson);
        Assert.Null(stored.PreviousValueJson);
    }

    [Fact]
    public async Task A_person_who_is_not_an_administrator_gets_not_found_and_no_form()
    {
        await SignInAsync("dana@example.com", admin: false);
        var page = _ui.RenderMud<Simulator>();
        page.WaitForElement("[data-testid=simulator-forbidden]");
        Assert.Empty(page.FindAll("[data-testid=sim-publish]"));
    }

    private async Task SignInAsync(string email, bool admin)
    {
        using var scope = _app.Services.CreateScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(email);
        var auth = _ui.AddAuthorization();
        auth.SetAuthorized(email);
        auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, user!.Id), new Claim(ClaimTypes.Email, email),
            new Claim(CurrentUser.AdminClaim, admin ? "true" : "false"));
    }

    private async Task<int> EventCountAsync()
    {
        await using var db = await _app.Service<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(Xunit.TestContext.Current.CancellationToken);
        return await db.Events.CountAsync(Xunit.TestContext.Current.CancellationToken);
    }

    private async Task<WebhookAdmin.Features.Events.EventRecord> StoredEventAsync()
    {
        await using var db = await _app.Service<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(Xunit.TestContext.Current.CancellationToken);
        return await db.Events.SingleAsync(Xunit.TestContext.Current.CancellationToken);
    }
}
