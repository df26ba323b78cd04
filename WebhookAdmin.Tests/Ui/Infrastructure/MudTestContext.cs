using System.Globalization;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using MudBlazor;
using MudBlazor.Services;
using WebhookAdmin.Components.Shared;
using WebhookAdmin.Features.Webhooks;
using WebhookAdmin.Features.Webhooks.Pages;
using WebhookAdmin.Resources;

namespace WebhookAdmin.Tests.Ui.Infrastructure;

/// <summary>
/// A bunit context ready for MudBlazor components: loose JS interop, Mud services, the app's real
/// localization (resx files) in the chosen culture, and the interactive renderer. Render
/// <see cref="RenderWithPopovers{T}"/> for anything with a dropdown, menu or dialog: their content lives in
/// the popover provider, not inside the component.
/// </summary>
public class MudTestContext : BunitContext
{
    private readonly CultureInfo _previousCulture = CultureInfo.CurrentCulture;
    private readonly CultureInfo _previousUiCulture = CultureInfo.CurrentUICulture;
    private bool _frozen;

    public MudTestContext(string culture = "en")
    {
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddLocalization();
        Services.AddScoped<UserPreferences>();
    }

    /// <summary>
    /// Renders pages on the real services of a running <see cref="Tests.Infrastructure.TestApp"/> (its database, rules and
    /// engine). The page-level services that need MudBlazor's dialogs and snackbars come from this context, so
    /// they use the dialogs rendered here rather than the app's.
    /// </summary>
    public void UseServicesOf(IServiceProvider app)
    {
        // Built by hand: this container cannot see the app's services, and the fallback cannot see Mud's dialogs here.
        Services.AddScoped(sp => new WebhookActions(sp.GetRequiredService<IDialogService>(), sp.GetRequiredService<ISnackbar>(),
            app.GetRequiredService<WebhookService>(), sp.GetRequiredService<IStringLocalizer<UiText>>()));
        Services.AddFallbackServiceProvider(app);
    }

    /// <summary>Register extra services before the first render (the container freezes then).</summary>
    public void Freeze()
    {
        if (_frozen) return;
        _frozen = true;
        // Last: it builds the service provider.
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    public IRenderedComponent<MudPopoverProvider> RenderPopoverProvider()
    {
        Freeze();
        return Render<MudPopoverProvider>();
    }

    public IRenderedComponent<T> RenderMud<T>(Action<ComponentParameterCollectionBuilder<T>>? parameters = null) where T : IComponent
    {
        Freeze();
        return parameters is null ? Render<T>() : Render<T>(parameters);
    }

    /// <summary>The popover provider first (menus, selects and tooltips render into it), then the component.</summary>
    public (IRenderedComponent<MudPopoverProvider> Popovers, IRenderedComponent<T> Component) RenderWithPopovers<T>(
        Action<ComponentParameterCollectionBuilder<T>>? parameters = null) where T : IComponent
    {
        var popovers = RenderPopoverProvider();
        return (popovers, RenderMud(parameters));
    }

    protected override void Dispose(bool disposing)
    {
        CultureInfo.CurrentCulture = _previousCulture;
        CultureInfo.CurrentUICulture = _previousUiCulture;
        base.Dispose(disposing);
    }
}
