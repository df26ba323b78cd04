using System.Net;
using WebhookAdmin.Tests.Infrastructure;
using WebhookAdmin.Tests.Ui.Infrastructure;

namespace WebhookAdmin.Tests.Ui.Accounts;

/// <summary>The sign-in, sign-out and language endpoints and the pages' access rule, over plain HTTP.</summary>
public sealed class AccountEndpointTests : IAsyncLifetime
{
    private readonly TestApp _app = new();
    private CookieContainer _cookies = null!;
    private HttpClient _browser = null!;

    public async ValueTask InitializeAsync()
    {
        await UiUsers.CreateAsync(_app.Api(), "carla@example.com");
        _browser = NewBrowser(out _cookies);
    }

    /// <summary>Like a browser: keeps cookies, does not follow redirects (the tests read where they point).</summary>
    private HttpClient NewBrowser(out CookieContainer cookies)
    {
        cookies = new CookieContainer();
        return new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies }) { BaseAddress = _app.BaseAddress };
    }

    public async ValueTask DisposeAsync()
    {
        _browser.Dispose();
        await _app.DisposeAsync();
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/webhooks")]
    [InlineData("/webhooks/new")]
    [InlineData("/webhooks/0123456789abcdef0123456789abcdef")]
    [InlineData("/webhooks/0123456789abcdef0123456789abcdef/edit")]
    public async Task Every_page_sends_a_visitor_who_is_not_signed_in_to_the_sign_in_page(string path)
    {
        using var response = await _browser.GetAsync(path, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/login?ReturnUrl={Uri.EscapeDataString(path)}", response.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task The_sign_in_page_itself_is_open()
    {
        using var response = await _browser.GetAsync("/login", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Signing_in_sets_the_cookie_and_returns_to_the_page_asked_for_but_never_to_another_site()
    {
        var local = await SignInAsync("carla@example.com", UiUsers.Password, "/webhooks");
        Assert.Equal("/webhooks", local.OriginalString);
        using (var page = await _browser.GetAsync("/webhooks", TestContext.Current.CancellationToken))
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);

        foreach (var elsewhere in new[] { "https://evil.example/phish", "//evil.example/phish", "/\\evil.example" })
        {
            using var other = NewBrowser(out _);
            Assert.Equal("/", (await SignInAsync("carla@example.com", UiUsers.Password, elsewhere, other)).OriginalString);
        }
    }

    [Fact]
    public async Task A_wrong_password_or_an_unknown_email_get_the_same_answer()
    {
        var wrongPassword = await SignInAsync("carla@example.com", "nope", "/webhooks");
        var unknown = await SignInAsync("nobody@example.com", "nope", "/webhooks");

        Assert.StartsWith("/login?error=invalid", wrongPassword.OriginalString);
        Assert.StartsWith("/login?error=invalid", unknown.OriginalString);
        Assert.Contains("returnUrl=%2Fwebhooks", wrongPassword.OriginalString);
    }

    [Fact]
    public async Task A_form_without_its_antiforgery_token_is_sent_back_to_sign_in_and_signs_no_one_in()
    {
        using var response = await _browser.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = "carla@example.com", ["password"] = UiUsers.Password,
        }), TestContext.Current.CancellationToken);

        Assert.StartsWith("/login?error=expired", response.Headers.Location!.OriginalString);
        Assert.DoesNotContain(_cookies.GetAllCookies(), c => c.Name.Contains("Identity", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_language_switch_sets_the_culture_cookie_and_goes_back_only_to_a_page_of_this_site()
    {
        using var back = await _browser.GetAsync("/ui/culture?culture=pt-BR&returnUrl=%2Flogin", TestContext.Current.CancellationToken);
        Assert.Equal("/login", back.Headers.Location!.OriginalString);
        Assert.Contains(_cookies.GetAllCookies(), c => c.Name == ".AspNetCore.Culture" && Uri.UnescapeDataString(c.Value) == "c=pt-BR|uic=pt-BR");

        using var page = await _browser.GetAsync("/login", TestContext.Current.CancellationToken);
        Assert.Contains("Entrar", await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        using var away = await _browser.GetAsync("/ui/culture?culture=en&returnUrl=https%3A%2F%2Fevil.example", TestContext.Current.CancellationToken);
        Assert.Equal("/", away.Headers.Location!.OriginalString);
    }

    /// <summary>Posts the sign-in form as a browser does (token from the page) and returns where it redirects.</summary>
    private async Task<Uri> SignInAsync(string email, string password, string returnUrl, HttpClient? browser = null)
    {
        using var response = await SignInForm.PostAsync(browser ?? _browser, email, password, returnUrl);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.Location!;
    }
}
