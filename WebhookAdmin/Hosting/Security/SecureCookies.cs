using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;

namespace WebhookAdmin.Hosting.Security;

/// <summary>
/// <c>Cookies:SecurePolicy</c> for the sign-in cookie. Production defaults to <c>Always</c>: behind a
/// proxy that ends TLS the browser only ever speaks https, so nothing is lost, and a proxy whose forwarded headers the
/// app does not trust (a proxy not in ForwardedHeaders:KnownProxies) still gets Secure cookies instead of silently
/// plain ones. Elsewhere <c>SameAsRequest</c>, so Development works over http.
/// </summary>
public static class SecureCookies
{
    public const string Key = "Cookies:SecurePolicy";

    public static IServiceCollection AddSecureCookies(this IServiceCollection services)
    {
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme)
            .Configure<IConfiguration, IHostEnvironment>((cookie, configuration, environment) =>
                cookie.Cookie.SecurePolicy = Policy(configuration, environment));
        // The antiforgery cookie only follows the request: with Always, antiforgery throws on every http request, so a
        // Production instance reached over http would answer 500 instead of a sign-in page the browser cannot use.
        services.AddOptions<AntiforgeryOptions>()
            .Configure(antiforgery => antiforgery.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
        return services;
    }

    public static CookieSecurePolicy Policy(IConfiguration configuration, IHostEnvironment environment) =>
        configuration.GetValue<CookieSecurePolicy?>(Key)
        ?? (environment.IsProduction() ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest);
}
