using System.Globalization;
using System.Text.Json;
using WebhookAdmin.Tests.Infrastructure;
using static WebhookAdmin.Tests.Infrastructure.DeliveryWorld;

namespace WebhookAdmin.Tests.Features.Deliveries;

/// <summary>
/// The retry schedule end to end on a fake clock: the receiver keeps failing, the test moves time forward
/// step by step, and each attempt arrives when (and only when) its jittered time has come.
/// </summary>
public sealed class RetryScheduleTests() : WorldTests(WorldOptions.FakeClockNoPoll)
{
    /// <summary>The contract's default waits after failed attempts 1..4.</summary>
    private static readonly TimeSpan[] Schedule =
        [TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(10), TimeSpan.FromHours(1)];

    [Fact]
    public async Task A_failing_delivery_is_retried_on_the_jittered_schedule_then_fails_disables_its_webhook_and_holds_the_rest()
    {
        Receiver.Respond(ReceiverAnswer.Fail(500));
        var (webhookId, _) = await World.CreateWebhookAsync(Receiver.UrlFor());
        var eventId = await World.PublishAsync();

        var first = (await Receiver.WaitForAsync(1))[0];
        Assert.Equal("1", first.Header("X-Webhook-Attempt"));
        var id = (await World.DeliveryAsync(webhookId, eventId)).GetProperty("id").GetInt64();
        var delivery = await World.WaitForAttemptsAsync(id, 1);
        long? otherId = null;

        for (var attempt = 2; attempt <= 5; attempt++)
        {
            Assert.Equal("pending", delivery.Str("status"));
            var due = Date(delivery, "nextAttemptAt");
            var previousStart = Date(delivery.GetProperty("attemptLog")[attempt - 2], "startedAt");
            var planned = Schedule[attempt - 2];
            Assert.InRange(due - previousStart, planned * 0.8, planned * 1.2);

            if (attempt == 5)
                otherId = await PublishAnotherThatWaitsPastAsync(webhookId, due);

            // A moment before its time even a drain run leaves it alone.
            World.AdvanceTo(due - TimeSpan.FromMilliseconds(1));
            await World.RunDrainAsync();
            Assert.Equal("pending", (await World.DeliveryAsync(id)).Str("status"));
            Assert.Equal(attempt - 1, Receiver.Requests.Count(r => r.Header("X-Webhook-Delivery") == id.ToString(CultureInfo.InvariantCulture)));

            // At its time the retry timer wakes the drain: no poll runs in this app.
            World.AdvanceTo(due);
            var sent = await WaitForAttemptAsync(id, attempt);
            Assert.Equal(eventId, sent.Header("webhook-id"));
            delivery = await World.WaitForAttemptsAsync(id, attempt);
            Assert.True(Date(delivery.GetProperty("attemptLog")[attempt - 1], "startedAt") >= due, "sent before its time");
        }

        Assert.Equal("failed", delivery.Str("status"));
        Assert.Equal(5, delivery.GetProperty("attempts").GetInt32());
        Assert.Equal(JsonValueKind.Null, delivery.GetProperty("nextAttemptAt").ValueKind);

        var webhook = await Eventually.ReturnsAsync(() => World.WebhookAsync(webhookId),
            w => !w.GetProperty("enabled").GetBoolean(), "the webhook to be disabled");
        Assert.Equal("UNHEALTHY", webhook.Str("status"));
        var reason = webhook.Str("disabledReason");
        Assert.Contains("failed 5 times", reason);
        Assert.Contains("500", reason);

        // The other delivery was waiting for a later retry: it is held, not dropped and not sent.
        Assert.Equal("held", (await World.DeliveryAsync(otherId!.Value)).Str("status"));

        // Events published while the webhook is disabled are stored held, and nothing more is sent.
        var lateEventId = await World.PublishAsync();
        var late = await World.DeliveryAsync(webhookId, lateEventId);
        Assert.Equal("held", late.Str("status"));
        var sentSoFar = Receiver.Requests.Count;
        World.AdvanceTo(World.Time.GetUtcNow().UtcDateTime + TimeSpan.FromHours(3));
        await World.RunDrainAsync();
        Assert.Equal(sentSoFar, Receiver.Requests.Count);
        Assert.Equal("held", (await World.DeliveryAsync(otherId.Value)).Str("status"));
        Assert.Equal("held", (await World.DeliveryAsync(late.GetProperty("id").GetInt64())).Str("status"));
        Assert.Equal(0, late.GetProperty("attempts").GetInt32());
    }

    /// <summary>
    /// Publishes a second event whose first attempt meets <c>503 Retry-After</c>, at a moment chosen so its
    /// retry falls after <paramref name="dueOfLast"/>: when the first delivery's last attempt fails, this one is
    /// still waiting in the outbox, which is the case "its other pending deliveries become held" is about.
    /// </summary>
    private async Task<long> PublishAnotherThatWaitsPastAsync(string webhookId, DateTime dueOfLast)
    {
        var now = World.Time.GetUtcNow().UtcDateTime;
        var publishAt = dueOfLast - TimeSpan.FromMinutes(59);
        if (publishAt > now) World.AdvanceTo(publishAt);
        // Only the new delivery is on its first attempt; the other one keeps getting 500.
        Receiver.Respond(r => r.Header("X-Webhook-Attempt") == "1"
            ? new ReceiverAnswer(503, "later", new Dictionary<string, string> { ["Retry-After"] = "3600" })
            : ReceiverAnswer.Fail(500));
        var eventId = await World.PublishAsync();
        var id = (await World.DeliveryAsync(webhookId, eventId)).GetProperty("id").GetInt64();
        var other = await World.WaitForAttemptsAsync(id, 1);
        Assert.Equal("pending", other.Str("status"));
        Assert.True(Date(other, "nextAttemptAt") > dueOfLast);
        return id;
    }

    private async Task<ReceivedRequest> WaitForAttemptAsync(long deliveryId, int attempt)
    {
        var number = await Eventually.ReturnsAsync(
            () => Task.FromResult(Receiver.Requests.Where(r => r.Header("X-Webhook-Delivery") == deliveryId.ToString(CultureInfo.InvariantCulture)).Select(r => r.Header("X-Webhook-Attempt")).LastOrDefault()),
            n => n == attempt.ToString(CultureInfo.InvariantCulture), $"attempt {attempt} of delivery {deliveryId} (last value: the last attempt number seen)");
        return Receiver.Requests.Last(r => r.Header("X-Webhook-Delivery") == deliveryId.ToString(CultureInfo.InvariantCulture) && r.Header("X-Webhook-Attempt") == number);
    }
}
