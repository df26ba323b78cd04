using System.Net;
using System.Text.Json;
using WebhookAdmin.Tests.Infrastructure;

namespace WebhookAdmin.Tests.Features.Deliveries;

/// <summary>Attempts a person asks for: resend a delivery, send a test event. Both are real and logged.</summary>
public sealed class ManualDeliveryTests() : WorldTests(
    // One scheduled attempt: a failing receiver fails the delivery at once, no clock needed.
    WorldOptions.Default.With("Delivery:MaxAttempts", "1"))
{
    [Fact]
    public async Task A_failed_delivery_that_succeeds_on_resend_becomes_delivered_with_a_manual_attempt_in_its_log()
    {
        Receiver.Respond(ReceiverAnswer.Fail(500));
        var (webhookId, _) = await World.CreateWebhookAsync(Receiver.UrlFor());
        var eventId = await World.PublishAsync();
        var id = (await World.DeliveryAsync(webhookId, eventId)).GetProperty("id").GetInt64();
        await World.WaitForStatusAsync(id, "failed");

        Receiver.Respond(ReceiverAnswer.Ok);
        await World.Admin.PostOk($"/api/v1/deliveries/{id}/resend", null, HttpStatusCode.Accepted);

        var delivery = await World.WaitForStatusAsync(id, "delivered");
        Assert.Equal(2, delivery.GetProperty("attempts").GetInt32());
        var log = delivery.GetProperty("attemptLog").EnumerateArray().ToList();
        Assert.Equal(["scheduled", "manual"], log.Select(a => a.Str("trigger")));
        Assert.Equal([500, 200], log.Select(a => a.GetProperty("statusCode").GetInt32()));
        var resent = (await Receiver.WaitForAsync(2))[1];
        Assert.Equal("2", resent.Header("X-Webhook-Attempt"));
        Assert.Equal(eventId, resent.Header("webhook-id"));
    }

    [Fact]
    public async Task A_resend_makes_exactly_one_attempt_whatever_the_status()
    {
        var (webhookId, _) = await World.CreateWebhookAsync(Receiver.UrlFor());
        var id = (await World.DeliveryAsync(webhookId, await World.PublishAsync())).GetProperty("id").GetInt64();
        await World.WaitForStatusAsync(id, "delivered");

        // A failing resend of a delivered delivery: logged, and the delivery stays delivered.
        Receiver.Respond(ReceiverAnswer.Fail(502));
        await World.Admin.PostOk($"/api/v1/deliveries/{id}/resend", null, HttpStatusCode.Accepted);

        var delivery = await World.WaitForAttemptsAsync(id, 2);
        Assert.Equal("delivered", delivery.Str("status"));
        var manual = delivery.GetProperty("attemptLog")[1];
        Assert.Equal("manual", manual.Str("trigger"));
        Assert.Equal(502, manual.GetProperty("statusCode").GetInt32());
        await World.RunDrainAsync();
        Assert.Equal(2, Receiver.Requests.Count);
        Assert.True((await World.WebhookAsync(webhookId)).GetProperty("enabled").GetBoolean(), "a resend never disables");
    }

    [Fact]
    public async Task Resending_an_unknown_delivery_is_404()
    {
        using var response = await World.Admin.PostAsync("/api/v1/deliveries/999999/resend", null, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_test_send_returns_the_receiver_s_answer_and_is_recorded_in_the_log()
    {
        Receiver.Respond(new ReceiverAnswer(201, "thanks, got it"));
        var (webhookId, _) = await World.CreateWebhookAsync(Receiver.UrlFor());

        var answer = await World.Admin.PostOk($"/api/v1/webhooks/{webhookId}/test", new { @event = "TODO_DELETED" });

        Assert.True(answer.GetProperty("ok").GetBoolean());
        Assert.Equal(201, answer.GetProperty("statusCode").GetInt32());
        Assert.Equal("thanks, got it", answer.Str("responseBody"));
        Assert.Equal(JsonValueKind.Null, answer.GetProperty("error").ValueKind);
        var request = Assert.Single(Receiver.Requests);
        Assert.Equal("TODO_DELETED", request.Header("X-Webhook-Event"));
        Assert.Equal("TODO_DELETED", request.Json.GetProperty("event").GetString());

        var logged = await World.DeliveryAsync(answer.GetProperty("deliveryId").GetInt64());
        Assert.Equal(webhookId, logged.Str("webhookId"));
        Assert.Equal("TODO_DELETED", logged.Str("event"));
        Assert.Equal("delivered", logged.Str("status"));
        var attempt = Assert.Single(logged.GetProperty("attemptLog").EnumerateArray());
        Assert.Equal("manual", attempt.Str("trigger"));
        Assert.Equal(201, attempt.GetProperty("statusCode").GetInt32());
        Assert.Equal("thanks, got it", attempt.Str("responseBody"));
    }

    [Fact]
    public async Task A_failing_test_send_reports_the_failure_and_leaves_the_webhook_enabled()
    {
        Receiver.Respond(ReceiverAnswer.Fail(500));
        var (webhookId, _) = await World.CreateWebhookAsync(Receiver.UrlFor());

        var answer = await World.Admin.PostOk($"/api/v1/webhooks/{webhookId}/test", new { @event = "TODO_CREATED" });

        Assert.False(answer.GetProperty("ok").GetBoolean());
        Assert.Equal(500, answer.GetProperty("statusCode").GetInt32());
        Assert.Equal("broken", answer.Str("responseBody"));
        Assert.Contains("500", answer.Str("error"));
        var webhook = await World.WebhookAsync(webhookId);
        Assert.True(webhook.GetProperty("enabled").GetBoolean());
        Assert.Equal("failed", (await World.DeliveryAsync(answer.GetProperty("deliveryId").GetInt64())).Str("status"));
    }

    [Fact]
    public async Task A_test_send_of_an_unknown_event_type_is_a_400_naming_the_field()
    {
        var (webhookId, _) = await World.CreateWebhookAsync(Receiver.UrlFor());

        var problem = await World.Admin.PostOk($"/api/v1/webhooks/{webhookId}/test", new { @event = "NOT_A_THING" }, HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty("event", out _));
        Assert.Empty(Receiver.Requests);
    }
}
