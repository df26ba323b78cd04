using System.Net;
using WebhookAdmin.Tests.Infrastructure;

namespace WebhookAdmin.Tests.Features.Deliveries;

/// <summary>A deleted webhook has nothing waiting: what was in flight when it went ends skipped, never held.</summary>
public sealed class DeletedWebhookTests() : WorldTests(WorldOptions.FakeClockNoPoll)
{
    [Fact]
    public async Task An_attempt_in_flight_when_its_webhook_is_deleted_fails_into_skipped_not_held()
    {
        Receiver.Respond(ReceiverAnswer.Hanging);
        var (webhookId, _) = await World.CreateWebhookAsync(Receiver.UrlFor());
        var eventId = await World.PublishAsync();
        var id = (await World.DeliveryAsync(webhookId, eventId)).GetProperty("id").GetInt64();
        await Receiver.WaitForAsync(1);

        using (var deleted = await World.Admin.DeleteAsync($"/api/v1/webhooks/{webhookId}", TestContext.Current.CancellationToken))
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        // The attempt times out on the app's clock: a failure of a delivery whose webhook is gone.
        World.AdvanceTo(World.Time.GetUtcNow().UtcDateTime + TimeSpan.FromSeconds(8));

        var delivery = await World.WaitForAttemptsAsync(id, 1);
        Assert.Equal("skipped", delivery.Str("status"));
        var held = await World.Admin.GetOk($"/api/v1/deliveries?webhookId={webhookId}&status=held");
        Assert.Equal(0, held.GetProperty("pageInfo").GetProperty("totalItems").GetInt32());
    }
}
