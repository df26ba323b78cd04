using System.Net;
using WebhookAdmin.Tests.Api;
using WebhookAdmin.Tests.Infrastructure;

namespace WebhookAdmin.Tests.Features.Operations;

/// <summary>Who may scrape: an admin token; or anyone once <c>Metrics:Anonymous</c> is true. Refusals are problems like the API's.</summary>
public sealed class MetricsAccessTests
{
    private static readonly string[] WebhooksScope = ["webhooks"];

    [Fact]
    public async Task The_metrics_answer_an_admin_token_and_refuse_others_as_problems()
    {
        await using var app = new TestApp();
        using var admin = app.Api();
        var created = await admin.PostOk($"/api/v1/users/{TestApp.AdminEmail}/tokens", new { name = "scraper", scopes = WebhooksScope },
            HttpStatusCode.Created);
        using var webhooksOnly = app.Api(created.Str("token"));
        using var nobody = app.Api(token: null);

        using (var response = await nobody.GetAsync("/metrics", TestContext.Current.CancellationToken))
            await response.AssertProblemAsync(401);
        using (var response = await webhooksOnly.GetAsync("/metrics", TestContext.Current.CancellationToken))
            await response.AssertProblemAsync(403);
        using (var response = await admin.GetAsync("/metrics", TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("# TYPE webhookadmin_events_ingested_total counter", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }
    }

    [Fact]
    public async Task With_anonymous_metrics_a_scrape_needs_no_token()
    {
        await using var app = new TestApp(new Dictionary<string, string?> { ["Metrics:Anonymous"] = "true" });
        using var nobody = app.Api(token: null);

        using var response = await nobody.GetAsync("/metrics", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var scrape = PrometheusScrape.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(0, scrape.Value("webhookadmin_outbox_pending"));
        Assert.True(scrape.Has("webhookadmin_webhooks"));
    }
}
