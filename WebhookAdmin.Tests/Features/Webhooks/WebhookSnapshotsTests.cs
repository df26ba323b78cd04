using WebhookAdmin.Features.Deliveries.Sending;
using WebhookAdmin.Features.Webhooks.Subscriptions;
using WebhookAdmin.Tests.Features.Deliveries;
using WebhookAdmin.Tests.Infrastructure;

namespace WebhookAdmin.Tests.Features.Webhooks;

/// <summary>The delivery engine's view of webhooks: decrypted secrets are cached, but only those still in use.</summary>
public sealed class WebhookSnapshotsTests : IAsyncLifetime
{
    private TestReceiver _receiver = null!;
    private DeliveryWorld _world = null!;

    public async ValueTask InitializeAsync()
    {
        _receiver = await TestReceiver.StartAsync();
        _world = await DeliveryWorld.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await _world.DisposeAsync();
    }

    [Fact]
    public async Task Rotated_away_secrets_leave_the_decryption_cache()
    {
        var (webhookId, _) = await _world.CreateWebhookAsync(_receiver.UrlFor());
        var snapshots = (WebhookSnapshots)_world.App.Service<IWebhookSnapshots>();

        for (var rotation = 1; rotation <= 5; rotation++)
        {
            await _world.Admin.PostOk($"/api/v1/webhooks/{webhookId}/rotate-secret", new { overlap = "00:00:00" });
            await _world.PublishAsync();
            await _receiver.WaitForAsync(rotation);
            // Only the current secret of the one webhook; without trimming, one more per rotation.
            Assert.Equal(1, snapshots.CachedSecrets);
        }
    }
}
