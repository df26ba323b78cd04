using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using WebhookAdmin.Components.Shared;
using WebhookAdmin.Hosting.Limits;

namespace WebhookAdmin.Features.Accounts.Pages;

/// <summary>
/// The server half of the sign-in page. A cookie cannot be set over the Blazor circuit, so the page's form
/// posts here; the answer is always a redirect (back to the page the user wanted, or to /login with the reason).
/// </summary>
public static class AccountEndpoints
{
    public const string LoginPath = "/login";
    public const string LoginPost = "/account/login";
    public const string LogoutPath = "/logout";

    /// <summary>The reasons /login shows, as query values.</summary>
    public static class Errors
    {
        public const string Invalid = "invalid";
        public const string LockedOut = "locked";
        public const string Missing = "missing";
        public const string Expired = "expired";
        public const string Throttled = "throttled";
    }

    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost(LoginPost, SignIn).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
        app.MapPost(LogoutPath, SignOut).DisableAntiforgery().ExcludeFromDescription();
        return app;
    }

    /// <summary>Every field is optional here, so a half-filled form is answered with a message rather than a 400.</summary>
    public static async Task<IResult> SignIn(
        [FromForm] string? email, [FromForm] string? password, [FromForm] string? returnUrl,
        HttpContext http, IAntiforgery antiforgery, SignInManager<AppUser> signIn, SignInThrottle throttle)
    {
        var target = LocalUrls.OrHome(returnUrl);
        // Validated here rather than by the middleware so an expired form (a page left open for hours) lands
        // back on the sign-in page with a fresh token instead of a bare 400.
        if (!await antiforgery.IsRequestValidAsync(http))
            return BackToLogin(Errors.Expired, email, target);
        if (string.IsNullOrWhiteSpace(email) || string.IsNullOrEmpty(password))
            return BackToLogin(Errors.Missing, email, target);

        email = email.Trim();
        // A person gets the page back with how long to wait, not a 429 they cannot read; the API twin answers 429.
        if (throttle.TryAttempt(http.Connection.RemoteIpAddress, email) is { } refusal)
            return BackToLogin(Errors.Throttled, email, target, TooManyRequests.Seconds(refusal.RetryAfter));
        var user = await signIn.UserManager.FindByEmailAsync(email);
        if (user is null)
            return BackToLogin(Errors.Invalid, email, target);

        var result = await signIn.PasswordSignInAsync(user, password, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded)
            return TypedResults.LocalRedirect(target);
        return BackToLogin(result.IsLockedOut ? Errors.LockedOut : Errors.Invalid, email, target);
    }

    /// <summary>A form post with the antiforgery token, so another site cannot sign the user out.</summary>
    public static async Task<IResult> SignOut(HttpContext http, IAntiforgery antiforgery, SignInManager<AppUser> signIn)
    {
        if (!await antiforgery.IsRequestValidAsync(http))
            return TypedResults.LocalRedirect("/");
        await signIn.SignOutAsync();
        return TypedResults.LocalRedirect(LoginPath);
    }

    private static RedirectHttpResult BackToLogin(string error, string? email, string returnUrl, int? retryAfter = null)
    {
        var query = new Dictionary<string, string?> { ["error"] = error, ["email"] = email };
        if (retryAfter is { } seconds) query["retryAfter"] = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (returnUrl != "/") query["returnUrl"] = returnUrl;
        return TypedResults.LocalRedirect(Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(LoginPath, query));
    }
}
