using System.Net;
using System.Security.Cryptography;
using System.Text;
using StandardWebhooks;
using WebhookAdmin.Tests.Infrastructure;

namespace WebhookAdmin.Tests.Features.Deliveries;

public sealed class SignedDeliveryTests : IAsyncLifetime
{
    private readonly TestApp _app = new();
    private TestReceiver _receiver = null!;
    private HttpClient _admin = null!;

    public async ValueTask InitializeAsync()
    {
        _receiver = await TestReceiver.StartAsync();
        _admin = _app.Api();
        await _admin.CompanyAsync("acme", "Acme");
        await _admin.ProjectAsync("p1", "acme", "Website");
        await _admin.MemberAsync("p1", TestApp.AdminEmail, "admin");
    }

    public async ValueTask DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task A_published_event_arrives_signed_so_the_official_library_and_a_Blue_hex_check_both_verify_it()
    {
        var webhook = await _admin.PostOk("/api/v1/webhooks", new { url = _receiver.UrlFor(), events = new[] { "TODO_CREATED" } }, HttpStatusCode.Created);
        var secret = webhook.Str("secret");

        var published = await _admin.PostOk("/api/v1/events",
            new { @event = "TODO_CREATED", projectId = "p1", currentValue = new { id = "todo_1", title = "Draft" } }, HttpStatusCode.Accepted);

        var request = (await _receiver.WaitForAsync(1))[0];
        new StandardWebhook(secret).Verify(request.BodyText, request.Headers);
        Assert.True(BlueSignatureMatches(secret, request.Body, request.Header("X-Signature")));
        Assert.Equal(published.Str("id"), request.Header("webhook-id"));
        Assert.Equal("TODO_CREATED", request.Header("X-Webhook-Event"));
        Assert.Equal("1", request.Header("X-Webhook-Attempt"));
        Assert.StartsWith("WebhookAdmin/", request.Header("User-Agent"));
        Assert.Equal("application/json", request.Header("Content-Type"));
        Assert.Equal("todo_1", request.Json.GetProperty("currentValue").GetProperty("id").GetString());
        Assert.Equal("Website", request.Json.GetProperty("project").GetProperty("name").GetString());
    }

    /// <summary>Blue's documented check: lowercase hex HMAC-SHA256 of the raw body, keyed with the secret's UTF-8 bytes.</summary>
    public static bool BlueSignatureMatches(string secret, byte[] body, string header)
    {
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(header));
    }
}
