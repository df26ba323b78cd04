using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting.Internal;
using WebhookAdmin.Hosting.Security;
using WebhookAdmin.Tests.Api;
using WebhookAdmin.Tests.Infrastructure;

namespace WebhookAdmin.Tests.Hosting;

/// <summary>The headers every answer carries (ADR-016); that the pages still work under them is the browser tests' job.</summary>
public sealed partial class SecurityHeadersTests : IAsyncLifetime
{
    private readonly TestApp _app = new();
    private HttpClient _client = null!;

    public ValueTask InitializeAsync()
    {
        _client = _app.Api(token: null);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task A_page_allows_only_its_own_scripts_and_the_import_map_by_a_nonce_made_for_that_answer()
    {
        var (first, firstHtml) = await PolicyAndPageAsync("/login");
        var (second, _) = await PolicyAndPageAsync("/login");

        var scripts = Directive(first, "script-src");
        Assert.DoesNotContain("unsafe-inline", scripts, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", scripts, StringComparison.Ordinal);
        var nonce = Nonce().Match(scripts).Groups[1].Value;
        Assert.NotEmpty(nonce);
        Assert.Contains($"<script type=\"importmap\" nonce=\"{nonce}\">", firstHtml, StringComparison.Ordinal);
        Assert.NotEqual(nonce, Nonce().Match(Directive(second, "script-src")).Groups[1].Value);

        Assert.Equal("frame-ancestors 'none'", Directive(first, "frame-ancestors"));
        Assert.Equal("object-src 'none'", Directive(first, "object-src"));
        Assert.Contains($"ws://{_app.BaseAddress.Authority}", Directive(first, "connect-src"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/login")]
    [InlineData("/api/v1/webhooks")]
    [InlineData("/api/docs")]
    [InlineData("/favicon.svg")]
    public async Task Every_answer_refuses_framing_sniffing_and_referrers_to_other_sites(string path)
    {
        using var response = await _client.GetAsync(path, Test.Ct);
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Equal("same-origin", Header(response, "Referrer-Policy"));
        Assert.Contains("frame-ancestors 'none'", Header(response, "Content-Security-Policy"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_api_reference_has_a_policy_of_its_own_and_the_app_pages_do_not_share_it()
    {
        using var docs = await _client.GetAsync("/api/docs", Test.Ct);
        var policy = Header(docs, "Content-Security-Policy");
        Assert.Contains("'unsafe-inline'", Directive(policy, "script-src"), StringComparison.Ordinal);
        Assert.Equal("connect-src 'self'", Directive(policy, "connect-src"));
    }

    [Fact]
    public async Task The_sign_in_cookie_is_secure_when_the_setting_says_always_even_over_plain_http()
    {
        await using var always = new TestApp(new Dictionary<string, string?> { [SecureCookies.Key] = "Always" });
        Assert.Contains("secure", await SignInCookieAsync(always), StringComparison.OrdinalIgnoreCase);
        // The test environment is not Production: same as the request, so plain http gets a plain cookie.
        Assert.DoesNotContain("secure", await SignInCookieAsync(_app), StringComparison.OrdinalIgnoreCase);
    }

    private static async Task<string> SignInCookieAsync(TestApp app)
    {
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };
        using var response = await SignInForm.PostAsync(browser, TestApp.AdminEmail, TestApp.AdminPassword);
        return Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".AspNetCore.Identity.Application=", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Production", null, CookieSecurePolicy.Always)]
    [InlineData("Development", null, CookieSecurePolicy.SameAsRequest)]
    [InlineData("Production", "SameAsRequest", CookieSecurePolicy.SameAsRequest)]
    public void Production_makes_cookies_secure_unless_told_otherwise(string environment, string? setting, CookieSecurePolicy expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [SecureCookies.Key] = setting }).Build();
        Assert.Equal(expected, SecureCookies.Policy(configuration, new HostingEnvironment { EnvironmentName = environment }));
    }

    private async Task<(string Policy, string Html)> PolicyAndPageAsync(string path)
    {
        using var response = await _client.GetAsync(path, Test.Ct);
        return (Header(response, "Content-Security-Policy"), await response.Content.ReadAsStringAsync(Test.Ct));
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : throw new Xunit.Sdk.XunitException($"{response.RequestMessage?.RequestUri?.PathAndQuery} has no {name} header.");

    private static string Directive(string policy, string name) =>
        policy.Split(';', StringSplitOptions.TrimEntries).Single(d => d.StartsWith(name + " ", StringComparison.Ordinal));

    [GeneratedRegex("'nonce-([^']+)'")]
    private static partial Regex Nonce();
}
