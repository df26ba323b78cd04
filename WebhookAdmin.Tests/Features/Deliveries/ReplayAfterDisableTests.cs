using WebhookAdmin.Tests.Infrastructure;

namespace WebhookAdmin.Tests.Features.Deliveries;

/// <summary>
/// Nothing is dropped: the delivery whose last attempt disabled its webhook is failed, and re-enabling
/// with replay sends it again together with everything held meanwhile.
/// </summary>
public sealed class ReplayAfterDisableTests() : WorldTests(
    // One scheduled attempt: the first failure uses up the budget and disables the webhook.
    WorldOptions.Default.With("Delivery:MaxAttempts", "1"))
{
    [Fact]
    public async Task Re_enabling_with_replay_sends_the_delivery_that_failed_into_the_disable_and_the_held_ones()
    {
        Receiver.Respond(ReceiverAnswer.Fail(500));
        var (webhookId, _) = await World.CreateWebhookAsync(Receiver.UrlFor());
        var failing = (await World.DeliveryAsync(webhookId, await World.PublishAsync())).GetProperty("id").GetInt64();
        await World.WaitForStatusAsync(failing, "failed");
        await Eventually.ReturnsAsync(() => World.WebhookAsync(webhookId), w => !w.GetProperty("enabled").GetBoolean(), "the webhook disabled");
        var held = (await World.DeliveryAsync(webhookId, await World.PublishAsync())).GetProperty("id").GetInt64();
        Assert.Equal("held", (await World.DeliveryAsync(held)).Str("status"));

        Receiver.Respond(ReceiverAnswer.Ok);
        var answer = await World.Admin.PostOk($"/api/v1/webhooks/{webhookId}/enable", new { replayHeld = true });

        Assert.Equal(2, answer.GetProperty("released").GetInt32());
        await World.WaitForStatusAsync(failing, "delivered");
        await World.WaitForStatusAsync(held, "delivered");
    }

    [Fact]
    public async Task Re_enabling_without_replay_leaves_that_delivery_failed_and_skips_the_held_ones()
    {
        Receiver.Respond(ReceiverAnswer.Fail(500));
        var (webhookId, _) = await World.CreateWebhookAsync(Receiver.UrlFor());
        var failing = (await World.DeliveryAsync(webhookId, await World.PublishAsync())).GetProperty("id").GetInt64();
        await World.WaitForStatusAsync(failing, "failed");
        await Eventually.ReturnsAsync(() => World.WebhookAsync(webhookId), w => !w.GetProperty("enabled").GetBoolean(), "the webhook disabled");
        var held = (await World.DeliveryAsync(webhookId, await World.PublishAsync())).GetProperty("id").GetInt64();

        Receiver.Respond(ReceiverAnswer.Ok);
        var answer = await World.Admin.PostOk($"/api/v1/webhooks/{webhookId}/enable", new { replayHeld = false });

        Assert.Equal(0, answer.GetProperty("released").GetInt32());
        await World.RunDrainAsync();
        Assert.Equal("failed", (await World.DeliveryAsync(failing)).Str("status"));
        Assert.Equal("skipped", (await World.DeliveryAsync(held)).Str("status"));
        // The health check only.
        Assert.Equal(2, Receiver.Requests.Count);
    }
}
