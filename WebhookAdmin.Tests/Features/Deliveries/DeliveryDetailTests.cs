using System.Globalization;
using System.Net;
using System.Text.Json;
using WebhookAdmin.Tests.Infrastructure;

namespace WebhookAdmin.Tests.Features.Deliveries;

/// <summary>GET /deliveries/{id}: the payload and every attempt with what was sent and what came back.</summary>
public sealed class DeliveryDetailTests() : WorldTests(WorldOptions.Default)
{
    [Fact]
    public async Task The_detail_shows_the_payload_and_the_attempt_with_headers_both_ways_and_a_body_cut_at_16_KiB()
    {
        var answer = new string('x', 40 * 1024);
        Receiver.Respond(new ReceiverAnswer(200, answer, new Dictionary<string, string> { ["X-Receiver"] = "crm-7" }));
        var (webhookId, _) = await World.CreateWebhookAsync(Receiver.UrlFor());
        var eventId = await World.PublishAsync("TODO_CREATED", new { id = "todo_42", title = "Ship it" });
        var id = (await World.DeliveryAsync(webhookId, eventId)).GetProperty("id").GetInt64();

        var delivery = await World.WaitForStatusAsync(id, "delivered");

        var payload = delivery.GetProperty("payload");
        Assert.Equal(eventId, payload.Str("id"));
        Assert.Equal("TODO_CREATED", payload.Str("event"));
        Assert.Equal("todo_42", payload.GetProperty("currentValue").Str("id"));
        Assert.Equal(webhookId, payload.GetProperty("webhook").Str("id"));

        var attempt = Assert.Single(delivery.GetProperty("attemptLog").EnumerateArray());
        Assert.Equal(1, attempt.GetProperty("number").GetInt32());
        Assert.Equal(200, attempt.GetProperty("statusCode").GetInt32());
        Assert.Equal("scheduled", attempt.Str("trigger"));
        Assert.True(attempt.GetProperty("durationMs").GetDouble() > 0);
        Assert.Equal(JsonValueKind.Null, attempt.GetProperty("error").ValueKind);

        var sent = attempt.GetProperty("requestHeaders");
        var received = Assert.Single(Receiver.Requests);
        Assert.Equal(eventId, sent.Str("webhook-id"));
        Assert.Equal(received.Header("X-Signature"), sent.Str("X-Signature"));
        Assert.Equal(received.Header("webhook-signature"), sent.Str("webhook-signature"));
        Assert.Equal("1", sent.Str("X-Webhook-Attempt"));
        Assert.Equal(id.ToString(CultureInfo.InvariantCulture), sent.Str("X-Webhook-Delivery"));
        Assert.Equal("application/json", sent.Str("Content-Type"));

        Assert.Equal("crm-7", attempt.GetProperty("responseHeaders").Str("X-Receiver"));
        var body = attempt.Str("responseBody");
        Assert.Equal(16 * 1024, body.Length);
        Assert.Equal(answer[..(16 * 1024)], body);
    }

    [Fact]
    public async Task Nothing_listening_on_the_port_is_logged_as_connection_refused()
    {
        var (webhookId, _) = await World.CreateWebhookAsync($"http://127.0.0.1:{Loopback.ClosedPort()}/hook");
        var eventId = await World.PublishAsync();
        var id = (await World.DeliveryAsync(webhookId, eventId)).GetProperty("id").GetInt64();

        var delivery = await World.WaitForAttemptsAsync(id, 1);

        var attempt = delivery.GetProperty("attemptLog")[0];
        Assert.Equal("connection refused", attempt.Str("error"));
        Assert.Equal(JsonValueKind.Null, attempt.GetProperty("statusCode").ValueKind);
        Assert.Equal(JsonValueKind.Null, attempt.GetProperty("responseBody").ValueKind);
        Assert.Equal("pending", delivery.Str("status"));
        Assert.Equal("connection refused", delivery.Str("lastError"));
    }

    [Fact]
    public async Task A_redirect_is_not_followed_and_the_log_says_so()
    {
        Receiver.Respond(new ReceiverAnswer(302, null, new Dictionary<string, string> { ["Location"] = "https://elsewhere.example/hook" }));
        var (webhookId, _) = await World.CreateWebhookAsync(Receiver.UrlFor());
        var id = (await World.DeliveryAsync(webhookId, await World.PublishAsync())).GetProperty("id").GetInt64();

        var attempt = (await World.WaitForAttemptsAsync(id, 1)).GetProperty("attemptLog")[0];

        Assert.Equal(302, attempt.GetProperty("statusCode").GetInt32());
        Assert.Contains("redirect", attempt.Str("error"));
        Assert.Contains("not followed", attempt.Str("error"));
        Assert.Single(Receiver.Requests);
    }

    [Fact]
    public async Task An_unknown_delivery_is_404_problem_json()
    {
        using var response = await World.Admin.GetAsync("/api/v1/deliveries/424242", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
