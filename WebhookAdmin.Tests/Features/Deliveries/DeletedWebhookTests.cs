using System.Net;
using WebhookAdmin.Tests.Infrastructure;
using static WebhookAdmin.Tests.Features.Deliveries.DeliveryWorld;

namespace WebhookAdmin.Tests.Features.Deliveries;

/// <summary>A deleted webhook has nothing waiting: what was in flight when it went ends skipped, never held.</summary>
public sealed class DeletedWebhookTests : IAsyncLifetime
{
    private TestReceiver _receiver = null!;
    private DeliveryWorld _world = null!;

    public async ValueTask InitializeAsync()
    {
        _receiver = await TestReceiver.StartAsync();
        _world = await StartAsync(FakeClock(), new Dictionary<string, string?> { ["Delivery:PollInterval"] = NoPoll });
    }

    public async ValueTask DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await _world.DisposeAsync();
    }

    [Fact]
    public async Task An_attempt_in_flight_when_its_webhook_is_deleted_fails_into_skipped_not_held()
    {
        _receiver.Respond(ReceiverAnswer.Hanging);
        var (webhookId, _) = await _world.CreateWebhookAsync(_receiver.UrlFor());
        var eventId = await _world.PublishAsync();
        var id = (await _world.DeliveryAsync(webhookId, eventId)).GetProperty("id").GetInt64();
        await _receiver.WaitForAsync(1);

        using (var deleted = await _world.Admin.DeleteAsync($"/api/v1/webhooks/{webhookId}", TestContext.Current.CancellationToken))
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        // The attempt times out on the app's clock: a failure of a delivery whose webhook is gone.
        _world.AdvanceTo(_world.Time.GetUtcNow().UtcDateTime + TimeSpan.FromSeconds(8));

        var delivery = await _world.WaitForAttemptsAsync(id, 1);
        Assert.Equal("skipped", delivery.Str("status"));
        var held = await _world.Admin.GetOk($"/api/v1/deliveries?webhookId={webhookId}&status=held");
        Assert.Equal(0, held.GetProperty("pageInfo").GetProperty("totalItems").GetInt32());
    }
}
