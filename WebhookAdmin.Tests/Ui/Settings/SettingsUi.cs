using System.Security.Claims;
using Bunit;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor;
using WebhookAdmin.Features.Accounts;
using WebhookAdmin.Tests.Infrastructure;
using WebhookAdmin.Tests.Ui.Infrastructure;

namespace WebhookAdmin.Tests.Ui.Settings;

/// <summary>
/// A bunit context on the real services of a running app, signed in as one person (administrator or not), with the
/// popover and dialog providers rendered. Dispose it, then the app.
/// </summary>
public sealed class SettingsUi : IAsyncDisposable
{
    private SettingsUi(MudTestContext ui, CurrentUser user, IRenderedComponent<MudDialogProvider> dialogs)
    {
        Ui = ui;
        User = user;
        Dialogs = dialogs;
    }

    public MudTestContext Ui { get; }
    public CurrentUser User { get; }

    /// <summary>Where dialogs render (not inside the page).</summary>
    public IRenderedComponent<MudDialogProvider> Dialogs { get; }

    public static async Task<SettingsUi> SignInAsync(TestApp app, string email)
    {
        using var scope = app.Services.CreateScope();
        var person = await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(email)
                     ?? throw new InvalidOperationException($"No user {email}.");
        var ui = new MudTestContext();
        ui.UseServicesOf(app.Services);
        // The app's Identity rules (this context's own options container would answer Identity's defaults).
        ui.Services.AddSingleton(app.Services.GetRequiredService<IOptions<IdentityOptions>>());
        var auth = ui.AddAuthorization();
        auth.SetAuthorized(email);
        auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, person.Id), new Claim(ClaimTypes.Email, email),
            new Claim(CurrentUser.AdminClaim, person.IsAdmin ? "true" : "false"));
        ui.RenderPopoverProvider();
        var dialogs = ui.RenderMud<MudDialogProvider>();
        return new SettingsUi(ui, new CurrentUser(person.Id, email, person.IsAdmin, new HashSet<string>()), dialogs);
    }

    public IRenderedComponent<T> Render<T>(Action<ComponentParameterCollectionBuilder<T>>? parameters = null) where T : Microsoft.AspNetCore.Components.IComponent =>
        Ui.RenderMud(parameters);

    public ValueTask DisposeAsync() => Ui.DisposeAsync();
}
