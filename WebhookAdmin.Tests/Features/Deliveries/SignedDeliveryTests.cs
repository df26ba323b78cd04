using System.Net;
using System.Security.Cryptography;
using System.Text;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;
using WebhookAdmin.Features.Webhooks;
using WebhookAdmin.Tests.Infrastructure;

namespace WebhookAdmin.Tests.Features.Deliveries;

public sealed class SignedDeliveryTests() : WorldTests(WorldOptions.Default)
{
    [Fact]
    public async Task A_published_event_arrives_signed_so_the_official_library_and_a_Blue_hex_check_both_verify_it()
    {
        var webhook = await Admin.PostOk("/api/v1/webhooks", new { url = Receiver.UrlFor(), events = new[] { "TODO_CREATED" } }, HttpStatusCode.Created);
        var secret = webhook.Str("secret");

        var published = await Admin.PostOk("/api/v1/events",
            new { @event = "TODO_CREATED", projectId = "p1", currentValue = new { id = "todo_1", title = "Draft" } }, HttpStatusCode.Accepted);

        var request = (await Receiver.WaitForAsync(1))[0];
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

    [Fact]
    public async Task During_a_rotation_overlap_receivers_holding_only_the_old_or_only_the_new_secret_both_verify()
    {
        var webhook = await Admin.PostOk("/api/v1/webhooks", new { url = Receiver.UrlFor(), events = new[] { "TODO_CREATED" } }, HttpStatusCode.Created);
        var oldSecret = webhook.Str("secret");
        var rotated = await Admin.PostOk($"/api/v1/webhooks/{webhook.Str("id")}/rotate-secret", new { overlap = "01:00:00" });
        var newSecret = rotated.Str("secret");
        Assert.NotEqual(oldSecret, newSecret);
        Assert.InRange(rotated.GetProperty("previousSecretExpiresAt").GetDateTime().ToUniversalTime() - DateTime.UtcNow,
            TimeSpan.FromMinutes(55), TimeSpan.FromMinutes(61));

        await Admin.PostOk("/api/v1/events", new { @event = "TODO_CREATED", projectId = "p1" }, HttpStatusCode.Accepted);

        var request = (await Receiver.WaitForAsync(1))[0];
        var entries = request.Header("webhook-signature").Split(' ');
        Assert.All(entries, e => Assert.StartsWith("v1,", e));
        Assert.Equal(2, entries.Distinct().Count());
        new StandardWebhook(oldSecret).Verify(request.BodyText, request.Headers);
        new StandardWebhook(newSecret).Verify(request.BodyText, request.Headers);
        Assert.Throws<WebhookVerificationException>(() => new StandardWebhook(WebhookSecrets.NewSecret()).Verify(request.BodyText, request.Headers));

        Assert.True(BlueSignatureMatches(newSecret, request.Body, request.Header("X-Signature")));
        Assert.True(BlueSignatureMatches(oldSecret, request.Body, request.Header("X-Signature-Previous")));
        Assert.False(BlueSignatureMatches(oldSecret, request.Body, request.Header("X-Signature")));
    }

    [Fact]
    public async Task A_rotation_without_overlap_signs_with_the_new_secret_only()
    {
        var webhook = await Admin.PostOk("/api/v1/webhooks", new { url = Receiver.UrlFor() }, HttpStatusCode.Created);
        var oldSecret = webhook.Str("secret");
        var newSecret = (await Admin.PostOk($"/api/v1/webhooks/{webhook.Str("id")}/rotate-secret", new { overlap = "00:00:00" })).Str("secret");

        await Admin.PostOk("/api/v1/events", new { @event = "TODO_CREATED", projectId = "p1" }, HttpStatusCode.Accepted);

        var request = (await Receiver.WaitForAsync(1))[0];
        Assert.DoesNotContain(' ', request.Header("webhook-signature"));
        new StandardWebhook(newSecret).Verify(request.BodyText, request.Headers);
        Assert.Throws<WebhookVerificationException>(() => new StandardWebhook(oldSecret).Verify(request.BodyText, request.Headers));
        Assert.True(BlueSignatureMatches(newSecret, request.Body, request.Header("X-Signature")));
        Assert.False(request.Headers.ContainsKey("X-Signature-Previous"));
    }

    [Fact]
    public async Task When_the_overlap_ends_the_old_secret_stops_signing()
    {
        // Its own app on a fake clock that starts at the real time: a minute later is still within the
        // verifier's five-minute tolerance, and the overlap has run out.
        var world = await StartWorldAsync(WorldOptions.Default with { FakeClock = true });
        var (id, oldSecret) = await world.CreateWebhookAsync(Receiver.UrlFor());
        var newSecret = (await world.Admin.PostOk($"/api/v1/webhooks/{id}/rotate-secret", new { overlap = "00:01:00" })).Str("secret");

        await world.PublishAsync();
        var during = (await Receiver.WaitForAsync(1))[0];
        new StandardWebhook(oldSecret).Verify(during.BodyText, during.Headers);

        world.Time.Advance(TimeSpan.FromSeconds(61));
        await world.PublishAsync();
        var after = (await Receiver.WaitForAsync(2))[1];
        new StandardWebhook(newSecret).Verify(after.BodyText, after.Headers);
        Assert.Throws<WebhookVerificationException>(() => new StandardWebhook(oldSecret).Verify(after.BodyText, after.Headers));
        Assert.False(after.Headers.ContainsKey("X-Signature-Previous"));
    }

    [Fact]
    public async Task Every_retry_is_signed_afresh_with_the_same_webhook_id()
    {
        var world = await StartWorldAsync(WorldOptions.Default with { FakeClock = true });
        Receiver.Respond(ReceiverAnswer.Fail(503));
        var (id, secret) = await world.CreateWebhookAsync(Receiver.UrlFor());
        var eventId = await world.PublishAsync();
        var delivery = await world.DeliveryAsync(id, eventId);
        delivery = await world.WaitForAttemptsAsync(delivery.GetProperty("id").GetInt64(), 1);

        world.AdvanceTo(DeliveryWorld.Date(delivery, "nextAttemptAt"));
        var requests = await Receiver.WaitForAsync(2);

        Assert.All(requests, r => Assert.Equal(eventId, r.Header("webhook-id")));
        Assert.NotEqual(requests[0].Header("webhook-timestamp"), requests[1].Header("webhook-timestamp"));
        Assert.All(requests, r => new StandardWebhook(secret).Verify(r.BodyText, r.Headers));
        Assert.All(requests, r => Assert.True(BlueSignatureMatches(secret, r.Body, r.Header("X-Signature"))));
    }

    /// <summary>Blue's documented check: lowercase hex HMAC-SHA256 of the raw body, keyed with the secret's UTF-8 bytes.</summary>
    public static bool BlueSignatureMatches(string secret, byte[] body, string header)
    {
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(header));
    }
}
