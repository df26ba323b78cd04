using System.Net;
using System.Text.RegularExpressions;

namespace WebhookAdmin.Tests.Infrastructure;

/// <summary>The sign-in form, posted as a browser posts it: the antiforgery token from <c>/login</c>, then <c>/account/login</c>.</summary>
public static partial class SignInForm
{
    /// <summary>The answer to the post (a redirect: where it points says how it went), for the caller to dispose.</summary>
    public static async Task<HttpResponseMessage> PostAsync(HttpClient browser, string email, string password, string? returnUrl = null)
    {
        var page = await browser.GetStringAsync("/login", TestContext.Current.CancellationToken);
        var token = WebUtility.HtmlDecode(AntiforgeryField().Match(page).Groups[1].Value);
        var form = new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["email"] = email, ["password"] = password };
        if (returnUrl is not null) form["returnUrl"] = returnUrl;
        return await browser.PostAsync("/account/login", new FormUrlEncodedContent(form), TestContext.Current.CancellationToken);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
