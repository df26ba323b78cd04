using System.Net;
using WebhookAdmin.Tests.Infrastructure;

namespace WebhookAdmin.Tests.Hosting;

/// <summary>
/// Behind a reverse proxy that ends TLS the app hears plain http from the proxy. These send what nginx sends
/// (X-Forwarded-Proto, a public Host) from loopback, where a proxy on the same machine connects from.
/// </summary>
public sealed class ForwardedHeadersTests
{
    [Fact]
    public async Task Behind_a_proxy_on_the_same_machine_the_sign_in_redirect_keeps_the_visitors_https_and_HSTS_is_sent()
    {
        await using var app = new TestApp();

        using var response = await GetWebhooksThroughProxyAsync(app);

        Assert.Equal("https://webhooks.example.com/login?ReturnUrl=%2Fwebhooks", response.Headers.Location?.ToString());
        Assert.True(response.Headers.Contains("Strict-Transport-Security"), "HSTS is sent on https");
    }

    [Fact]
    public async Task Forwarded_headers_from_an_address_that_is_not_a_known_proxy_are_ignored()
    {
        await using var app = new TestApp(new Dictionary<string, string?> { ["ForwardedHeaders:KnownProxies:0"] = "192.0.2.10" });

        using var response = await GetWebhooksThroughProxyAsync(app);

        Assert.Equal("http://webhooks.example.com/login?ReturnUrl=%2Fwebhooks", response.Headers.Location?.ToString());
        Assert.False(response.Headers.Contains("Strict-Transport-Security"), "no HSTS on plain http");
    }

    [Fact]
    public async Task Forwarded_headers_are_ignored_when_turned_off()
    {
        await using var app = new TestApp(new Dictionary<string, string?> { ["ForwardedHeaders:Enabled"] = "false" });

        using var response = await GetWebhooksThroughProxyAsync(app);

        Assert.StartsWith("http://", response.Headers.Location?.ToString());
    }

    /// <summary>A signed-out visit to a page: the answer is the redirect to the sign-in page, an absolute address.</summary>
    private static async Task<HttpResponseMessage> GetWebhooksThroughProxyAsync(TestApp app)
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/webhooks");
        request.Headers.Host = "webhooks.example.com";
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");
        var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response;
    }
}
