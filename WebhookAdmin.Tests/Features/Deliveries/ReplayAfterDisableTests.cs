using WebhookAdmin.Tests.Infrastructure;
using static WebhookAdmin.Tests.Features.Deliveries.DeliveryWorld;

namespace WebhookAdmin.Tests.Features.Deliveries;

/// <summary>
/// Nothing is dropped: the delivery whose last attempt disabled its webhook is failed, and re-enabling
/// with replay sends it again together with everything held meanwhile.
/// </summary>
public sealed class ReplayAfterDisableTests : IAsyncLifetime
{
    private TestReceiver _receiver = null!;
    private DeliveryWorld _world = null!;

    public async ValueTask InitializeAsync()
    {
        _receiver = await TestReceiver.StartAsync();
        // One scheduled attempt: the first failure uses up the budget and disables the webhook.
        _world = await StartAsync(settings: new Dictionary<string, string?> { ["Delivery:MaxAttempts"] = "1" });
    }

    public async ValueTask DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await _world.DisposeAsync();
    }

    [Fact]
    public async Task Re_enabling_with_replay_sends_the_delivery_that_failed_into_the_disable_and_the_held_ones()
    {
        _receiver.Respond(ReceiverAnswer.Fail(500));
        var (webhookId, _) = await _world.CreateWebhookAsync(_receiver.UrlFor());
        var failing = (await _world.DeliveryAsync(webhookId, await _world.PublishAsync())).GetProperty("id").GetInt64();
        await _world.WaitForStatusAsync(failing, "failed");
        await Eventually.ReturnsAsync(() => _world.WebhookAsync(webhookId), w => !w.GetProperty("enabled").GetBoolean(), "the webhook disabled");
        var held = (await _world.DeliveryAsync(webhookId, await _world.PublishAsync())).GetProperty("id").GetInt64();
        Assert.Equal("held", (await _world.DeliveryAsync(held)).Str("status"));

        _receiver.Respond(ReceiverAnswer.Ok);
        var answer = await _world.Admin.PostOk($"/api/v1/webhooks/{webhookId}/enable", new { replayHeld = true });

        Assert.Equal(2, answer.GetProperty("released").GetInt32());
        await _world.WaitForStatusAsync(failing, "delivered");
        await _world.WaitForStatusAsync(held, "delivered");
    }

    [Fact]
    public async Task Re_enabling_without_replay_leaves_that_delivery_failed_and_skips_the_held_ones()
    {
        _receiver.Respond(ReceiverAnswer.Fail(500));
        var (webhookId, _) = await _world.CreateWebhookAsync(_receiver.UrlFor());
        var failing = (await _world.DeliveryAsync(webhookId, await _world.PublishAsync())).GetProperty("id").GetInt64();
        await _world.WaitForStatusAsync(failing, "failed");
        await Eventually.ReturnsAsync(() => _world.WebhookAsync(webhookId), w => !w.GetProperty("enabled").GetBoolean(), "the webhook disabled");
        var held = (await _world.DeliveryAsync(webhookId, await _world.PublishAsync())).GetProperty("id").GetInt64();

        _receiver.Respond(ReceiverAnswer.Ok);
        var answer = await _world.Admin.PostOk($"/api/v1/webhooks/{webhookId}/enable", new { replayHeld = false });

        Assert.Equal(0, answer.GetProperty("released").GetInt32());
        await _world.RunDrainAsync();
        Assert.Equal("failed", (await _world.DeliveryAsync(failing)).Str("status"));
        Assert.Equal("skipped", (await _world.DeliveryAsync(held)).Str("status"));
        // The health check only.
        Assert.Equal(2, _receiver.Requests.Count);
    }
}
