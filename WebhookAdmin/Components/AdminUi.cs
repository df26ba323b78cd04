using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;
using MudBlazor.Services;
using WebhookAdmin.Components.Shared;
using WebhookAdmin.Features.Accounts;
using WebhookAdmin.Features.Accounts.Pages;
using WebhookAdmin.Features.Dashboard;
using WebhookAdmin.Features.Webhooks.Pages;

namespace WebhookAdmin.Components;

/// <summary>The admin web app: Blazor Server with MudBlazor, cookie sign-in, English and Brazilian Portuguese.</summary>
public static class AdminUi
{
    public const string DefaultCulture = "en";
    public static readonly string[] Cultures = [DefaultCulture, "pt-BR"];

    public static IServiceCollection AddAdminUi(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        services.AddCascadingAuthenticationState();
        services.AddScoped<Microsoft.AspNetCore.Components.Authorization.AuthenticationStateProvider, IdentityRevalidatingAuthenticationStateProvider>();
        // The cookie principal carries the admin flag like an API token does, so CurrentUser reads both alike.
        services.AddScoped<IUserClaimsPrincipalFactory<AppUser>, AppUserClaimsFactory>();

        // No ResourcesPath: the marker class WebhookAdmin.Resources.UiText already names Resources/UiText.resx.
        services.AddLocalization();
        services.Configure<RequestLocalizationOptions>(options => options
            .SetDefaultCulture(DefaultCulture)
            .AddSupportedCultures(Cultures)
            .AddSupportedUICultures(Cultures));

        services.AddScoped<UserPreferences>();
        services.AddSingleton<PersonalSettings>();
        services.AddSingleton<DashboardQueries>();
        services.AddSingleton<StorageQueries>();
        services.AddScoped<WebhookActions>();
        return services;
    }

    /// <summary>Before authentication, so the sign-in redirect and every page speak the chosen language.</summary>
    public static WebApplication UseAdminUiLocalization(this WebApplication app)
    {
        app.UseRequestLocalization();
        return app;
    }

    public static WebApplication MapAdminUi(this WebApplication app)
    {
        app.MapAccountEndpoints();
        app.MapPreferenceEndpoints();
        // No second policy header of Blazor's own (frame-ancestors 'self'): the app's policy already says 'none'.
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode(server => server.ContentSecurityFrameAncestorsPolicy = null);
        return app;
    }

    /// <summary>
    /// The language switch: the standard culture cookie, then back to the page the user was on. A signed-in person's
    /// choice is also kept on their account, because the emails about their webhooks are written in it.
    /// </summary>
    private static void MapPreferenceEndpoints(this WebApplication app) =>
        app.MapGet("/ui/culture", async (string? culture, string? returnUrl, HttpContext http, PersonalSettings settings) =>
        {
            var chosen = Cultures.FirstOrDefault(c => string.Equals(c, culture, StringComparison.OrdinalIgnoreCase)) ?? DefaultCulture;
            if (http.User.Identity?.IsAuthenticated == true)
                await settings.SetLanguageAsync(CurrentUser.From(http.User).Id, chosen, http.RequestAborted);
            http.Response.Cookies.Append(
                CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(chosen)),
                new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), IsEssential = true, SameSite = SameSiteMode.Lax, HttpOnly = true });
            return TypedResults.LocalRedirect(LocalUrls.OrHome(returnUrl));
        }).AllowAnonymous().ExcludeFromDescription();
}
