using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebhookAdmin.Data;
using WebhookAdmin.Features.Accounts;
using WebhookAdmin.Tests.Infrastructure;
using WebhookAdmin.Tests.Ui.Infrastructure;

namespace WebhookAdmin.Tests.Ui.Reasons;

/// <summary>
/// One real app where the engine has already written its reasons: a webhook whose receiver answered 410 Gone
/// (disabled at once) and one whose port refuses connections (disabled after its only allowed attempt).
/// Shared by the tests of a class; each test renders in its own language.
/// </summary>
public sealed class ReasonWorld : IAsyncLifetime
{
    public static readonly string ProjectId = SeedProject.Website.ProjectId;

    private DeliveryWorld _world = null!;

    public TestApp App => _world.App;
    public TestReceiver Receiver => _world.Receiver;
    public HttpClient Admin => _world.Admin;
    public string AdminId { get; private set; } = null!;

    /// <summary>Its receiver answered 410 Gone.</summary>
    public string Retired { get; private set; } = null!;

    /// <summary>Nothing listens on its port.</summary>
    public string Refusing { get; private set; } = null!;
    public long RefusedDelivery { get; private set; }

    /// <summary>Turned off by the administrator.</summary>
    public string TurnedOff { get; private set; } = null!;

    /// <summary>Turned off before reasons had parts: only the English sentence is stored.</summary>
    public string OffBeforeParts { get; private set; } = null!;
    public const string OldSentence = "Disabled by someone@example.com on 2026-10-01 09:30 UTC.";

    public async ValueTask InitializeAsync()
    {
        // One attempt per delivery: the first failure disables the webhook.
        _world = await DeliveryWorld.StartAsync(WorldOptions.Default.With("Delivery:MaxAttempts", "1") with { Organization = SeedProject.Website });
        Receiver.Respond(new ReceiverAnswer(410, "This endpoint was retired"));
        Retired = (await Admin.PostOk("/api/v1/webhooks", new { url = Receiver.UrlFor("/billing"), name = "Billing export" }, HttpStatusCode.Created)).Str("id");
        Refusing = (await Admin.PostOk("/api/v1/webhooks", new { url = $"http://127.0.0.1:{Loopback.ClosedPort()}/hook", name = "CRM sync" }, HttpStatusCode.Created)).Str("id");
        await Admin.PostOk("/api/v1/events", new { @event = "TODO_CREATED", projectId = ProjectId }, HttpStatusCode.Accepted);

        foreach (var id in new[] { Retired, Refusing })
            await Eventually.ReturnsAsync(() => Admin.GetOk($"/api/v1/webhooks/{id}"), w => !w.GetProperty("enabled").GetBoolean(), $"webhook {id} to be disabled");
        var refused = await Admin.GetOk($"/api/v1/webhooks/{Refusing}/deliveries");
        RefusedDelivery = refused.GetProperty("items")[0].GetProperty("id").GetInt64();

        TurnedOff = (await Admin.PostOk("/api/v1/webhooks", new { url = Receiver.UrlFor("/chat"), name = "Team chat" }, HttpStatusCode.Created)).Str("id");
        await Admin.PostOk($"/api/v1/webhooks/{TurnedOff}/disable", null);
        OffBeforeParts = (await Admin.PostOk("/api/v1/webhooks", new { url = Receiver.UrlFor("/old"), name = "Old export" }, HttpStatusCode.Created)).Str("id");
        await Admin.PostOk($"/api/v1/webhooks/{OffBeforeParts}/disable", null);
        await using (var db = await App.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync())
            await db.Database.ExecuteSqlAsync($"""UPDATE "Webhooks" SET "DisabledReason" = {OldSentence}, "DisabledBecause" = NULL WHERE "Id" = {OffBeforeParts}""");

        using var scope = App.Services.CreateScope();
        AdminId = (await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(TestApp.AdminEmail))!.Id;
    }

    public CurrentUser AdminUser => new(AdminId, TestApp.AdminEmail, true, new HashSet<string>());

    /// <summary>A bunit context in <paramref name="culture"/> on this app's services, signed in as the administrator.</summary>
    public MudTestContext Ui(string culture)
    {
        var ui = new MudTestContext(culture);
        ui.UseServicesOf(App.Services);
        var auth = ui.AddAuthorization();
        auth.SetAuthorized(TestApp.AdminEmail);
        auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, AdminId), new Claim(ClaimTypes.Email, TestApp.AdminEmail), new Claim(CurrentUser.AdminClaim, "true"));
        return ui;
    }

    public ValueTask DisposeAsync() => _world.DisposeAsync();
}
