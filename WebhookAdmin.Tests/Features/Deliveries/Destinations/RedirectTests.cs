using System.Net;
using WebhookAdmin.Tests.Infrastructure;

namespace WebhookAdmin.Tests.Features.Deliveries.Destinations;

/// <summary>
/// Redirects are never followed (contract, section 4): a receiver that answers 3xx fails the attempt, and
/// the address it points to gets nothing, so a redirect cannot carry a delivery past the SSRF guard.
/// </summary>
public sealed class RedirectTests : IAsyncLifetime
{
    private readonly TestApp _app = new();
    private TestReceiver _redirecting = null!;
    private TestReceiver _target = null!;
    private HttpClient _admin = null!;

    public async ValueTask InitializeAsync()
    {
        _redirecting = await TestReceiver.StartAsync();
        _target = await TestReceiver.StartAsync();
        _admin = _app.Api();
        await _admin.CompanyAsync("redirect-co", "Redirect Co");
        await _admin.ProjectAsync("redirect-p", "redirect-co");
        await _admin.MemberAsync("redirect-p", TestApp.AdminEmail);
    }

    public async ValueTask DisposeAsync()
    {
        await _redirecting.DisposeAsync();
        await _target.DisposeAsync();
        await _app.DisposeAsync();
    }

    [Theory]
    [InlineData(301)]
    [InlineData(302)]
    [InlineData(303)]
    [InlineData(307)]
    [InlineData(308)]
    public async Task A_redirect_answer_fails_the_attempt_and_the_address_it_names_gets_nothing(int status)
    {
        _redirecting.Respond(new ReceiverAnswer(status, null, new Dictionary<string, string> { ["Location"] = _target.UrlFor("/landed") }));
        var webhook = (await _admin.PostOk("/api/v1/webhooks", new { url = _redirecting.UrlFor(), projectIds = new[] { "redirect-p" } }, HttpStatusCode.Created)).Str("id");

        var test = await _admin.PostOk($"/api/v1/webhooks/{webhook}/test", new { @event = "TODO_CREATED" });

        Assert.False(test.GetProperty("ok").GetBoolean());
        Assert.Equal(status, test.GetProperty("statusCode").GetInt32());
        Assert.Contains("redirects are not followed", test.Str("error"));
        Assert.Single(_redirecting.Requests);
        Assert.Empty(_target.Requests);
    }

    [Fact]
    public async Task A_published_event_to_a_redirecting_receiver_is_recorded_as_a_failed_attempt_and_not_sent_on()
    {
        _redirecting.Respond(new ReceiverAnswer(302, null, new Dictionary<string, string> { ["Location"] = _target.UrlFor("/landed") }));
        var webhook = (await _admin.PostOk("/api/v1/webhooks", new { url = _redirecting.UrlFor("/scheduled"), projectIds = new[] { "redirect-p" } }, HttpStatusCode.Created)).Str("id");

        var eventId = (await _admin.PostOk("/api/v1/events", new { @event = "TODO_CREATED", projectId = "redirect-p" }, HttpStatusCode.Accepted)).Str("id");
        var deliveryId = (await _admin.GetOk($"/api/v1/deliveries?eventId={eventId}&webhookId={webhook}")).GetProperty("items")[0].GetProperty("id").GetInt64();
        var delivery = await Eventually.ReturnsAsync(() => _admin.GetOk($"/api/v1/deliveries/{deliveryId}"),
            d => d.GetProperty("attemptLog").GetArrayLength() > 0, "the first attempt", TimeSpan.FromSeconds(60));

        var attempt = delivery.GetProperty("attemptLog")[0];
        Assert.Equal(302, attempt.GetProperty("statusCode").GetInt32());
        Assert.Contains("redirect", attempt.Str("error"));
        Assert.NotEqual("delivered", delivery.Str("status"));
        Assert.Contains(_redirecting.Requests, r => r.Path == "/scheduled");
        Assert.Empty(_target.Requests);
    }
}
