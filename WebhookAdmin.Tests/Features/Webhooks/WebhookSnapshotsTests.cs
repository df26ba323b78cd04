using WebhookAdmin.Features.Deliveries.Sending;
using WebhookAdmin.Features.Webhooks.Subscriptions;
using WebhookAdmin.Tests.Infrastructure;

namespace WebhookAdmin.Tests.Features.Webhooks;

/// <summary>The delivery engine's view of webhooks: decrypted secrets are cached, but only those still in use.</summary>
public sealed class WebhookSnapshotsTests() : WorldTests(WorldOptions.Default)
{
    [Fact]
    public async Task Rotated_away_secrets_leave_the_decryption_cache()
    {
        var (webhookId, _) = await World.CreateWebhookAsync(Receiver.UrlFor());
        var snapshots = (WebhookSnapshots)World.App.Service<IWebhookSnapshots>();

        for (var rotation = 1; rotation <= 5; rotation++)
        {
            await World.Admin.PostOk($"/api/v1/webhooks/{webhookId}/rotate-secret", new { overlap = "00:00:00" });
            await World.PublishAsync();
            await Receiver.WaitForAsync(rotation);
            // Only the current secret of the one webhook; without trimming, one more per rotation.
            Assert.Equal(1, snapshots.CachedSecrets);
        }
    }
}
