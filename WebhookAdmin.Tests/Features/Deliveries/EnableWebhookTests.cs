using System.Text.Json;
using StandardWebhooks;
using WebhookAdmin.Tests.Infrastructure;
using static WebhookAdmin.Tests.Features.Deliveries.SignedDeliveryTests;

namespace WebhookAdmin.Tests.Features.Deliveries;

/// <summary>Re-enabling runs the signed health check first; only a pass enables and replays what was held.</summary>
public sealed class EnableWebhookTests() : WorldTests(WorldOptions.Default)
{
    private const int HeldCount = 3;
    [Fact]
    public async Task Enabling_sends_a_signed_health_check_then_releases_and_delivers_the_held_deliveries()
    {
        var (id, secret, held) = await DisabledWithHeldDeliveriesAsync();

        var answer = await World.Admin.PostOk($"/api/v1/webhooks/{id}/enable", new { replayHeld = true });

        var check = answer.GetProperty("healthCheck");
        Assert.True(check.GetProperty("ok").GetBoolean());
        Assert.Equal(200, check.GetProperty("statusCode").GetInt32());
        Assert.Equal(JsonValueKind.Null, check.GetProperty("error").ValueKind);
        Assert.Equal(HeldCount, answer.GetProperty("released").GetInt32());
        var webhook = answer.GetProperty("webhook");
        Assert.True(webhook.GetProperty("enabled").GetBoolean());
        Assert.Equal("HEALTHY", webhook.Str("status"));
        Assert.Equal(JsonValueKind.Null, webhook.GetProperty("disabledReason").ValueKind);

        var probe = Receiver.Requests[0];
        Assert.Equal("WEBHOOK_HEALTH_CHECK", probe.Header("X-Webhook-Event"));
        Assert.Equal(["id", "event", "timestamp", "webhook"], probe.Json.EnumerateObject().Select(p => p.Name));
        Assert.Equal("WEBHOOK_HEALTH_CHECK", probe.Json.GetProperty("event").GetString());
        Assert.Equal(id, probe.Json.GetProperty("webhook").GetProperty("id").GetString());
        Assert.Equal(probe.Json.GetProperty("id").GetString(), probe.Header("webhook-id"));
        new StandardWebhook(secret).Verify(probe.BodyText, probe.Headers);
        Assert.True(BlueSignatureMatches(secret, probe.Body, probe.Header("X-Signature")));

        var replayed = await Receiver.WaitForAsync(1 + HeldCount);
        Assert.All(replayed.Skip(1), r => Assert.Equal("TODO_CREATED", r.Header("X-Webhook-Event")));
        foreach (var delivery in held)
            await World.WaitForStatusAsync(delivery, "delivered");
    }

    [Fact]
    public async Task A_failed_health_check_answers_ok_false_and_the_webhook_stays_disabled_with_its_deliveries_held()
    {
        var (id, _, held) = await DisabledWithHeldDeliveriesAsync();
        Receiver.Respond(ReceiverAnswer.Fail(500));

        var answer = await World.Admin.PostOk($"/api/v1/webhooks/{id}/enable", new { replayHeld = true });

        var check = answer.GetProperty("healthCheck");
        Assert.False(check.GetProperty("ok").GetBoolean());
        Assert.Equal(500, check.GetProperty("statusCode").GetInt32());
        Assert.Contains("500", check.Str("error"));
        Assert.Equal(0, answer.GetProperty("released").GetInt32());
        var webhook = await World.WebhookAsync(id);
        Assert.False(webhook.GetProperty("enabled").GetBoolean());
        Assert.Equal("UNHEALTHY", webhook.Str("status"));
        Assert.NotEqual(JsonValueKind.Null, webhook.GetProperty("disabledReason").ValueKind);

        await World.RunDrainAsync();
        foreach (var delivery in held)
            Assert.Equal("held", (await World.DeliveryAsync(delivery)).Str("status"));
        Assert.Equal("WEBHOOK_HEALTH_CHECK", Assert.Single(Receiver.Requests).Header("X-Webhook-Event"));
    }

    [Fact]
    public async Task Enabling_with_replayHeld_false_skips_the_held_deliveries()
    {
        var (id, _, held) = await DisabledWithHeldDeliveriesAsync();

        var answer = await World.Admin.PostOk($"/api/v1/webhooks/{id}/enable", new { replayHeld = false });

        Assert.True(answer.GetProperty("healthCheck").GetProperty("ok").GetBoolean());
        Assert.True(answer.GetProperty("webhook").GetProperty("enabled").GetBoolean());
        Assert.Equal(0, answer.GetProperty("released").GetInt32());
        await World.RunDrainAsync();
        foreach (var delivery in held)
            Assert.Equal("skipped", (await World.DeliveryAsync(delivery)).Str("status"));
        Assert.Single(Receiver.Requests);

        // Enabled again for real: the next event is delivered.
        await World.PublishAsync();
        await Receiver.WaitForAsync(2);
    }

    [Fact]
    public async Task The_health_check_is_recorded_in_the_delivery_log_as_a_manual_attempt()
    {
        var (id, _, _) = await DisabledWithHeldDeliveriesAsync();
        await World.Admin.PostOk($"/api/v1/webhooks/{id}/enable", new { replayHeld = false });

        var page = await World.Admin.GetOk($"/api/v1/webhooks/{id}/deliveries?event=WEBHOOK_HEALTH_CHECK");
        var item = Assert.Single(page.GetProperty("items").EnumerateArray());
        var logged = await World.DeliveryAsync(item.GetProperty("id").GetInt64());
        Assert.Equal("delivered", logged.Str("status"));
        var attempt = Assert.Single(logged.GetProperty("attemptLog").EnumerateArray());
        Assert.Equal("manual", attempt.Str("trigger"));
        Assert.Equal(200, attempt.GetProperty("statusCode").GetInt32());
    }

    /// <summary>A webhook disabled by hand, with events published meanwhile: stored held, nothing sent.</summary>
    private async Task<(string Id, string Secret, List<long> Held)> DisabledWithHeldDeliveriesAsync()
    {
        var (id, secret) = await World.CreateWebhookAsync(Receiver.UrlFor(), "TODO_CREATED");
        var disabled = await World.Admin.PostOk($"/api/v1/webhooks/{id}/disable", null);
        Assert.False(disabled.GetProperty("enabled").GetBoolean());

        var held = new List<long>();
        for (var i = 0; i < HeldCount; i++)
        {
            var delivery = await World.DeliveryAsync(id, await World.PublishAsync());
            Assert.Equal("held", delivery.Str("status"));
            held.Add(delivery.GetProperty("id").GetInt64());
        }
        await World.RunDrainAsync();
        Assert.Empty(Receiver.Requests);
        return (id, secret, held);
    }
}
