using System.Globalization;
using System.Net;
using WebhookAdmin.Tests.Infrastructure;
using static WebhookAdmin.Tests.Infrastructure.DeliveryWorld;

namespace WebhookAdmin.Tests.Features.Deliveries;

/// <summary>
/// Per-webhook lanes: a receiver that hangs fills only its own lane, and a webhook with more due work than
/// its lane is wide still gets all of it, woken by completions rather than by the safety-net poll.
/// </summary>
public sealed class LaneTests() : WorldTests(options: null)
{
    private const int LaneWidth = 2;
    private TestReceiver _healthy = null!;

    /// <summary>The test's own receiver; the tests that need a stuck lane make it hang.</summary>
    private TestReceiver Slow => Receiver;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _healthy = await StartReceiverAsync();
    }

    private Task<DeliveryWorld> StartWorldAsync(string timeout = "00:00:07") => StartWorldAsync(WorldOptions.FakeClockNoPoll
        .With("Delivery:MaxConcurrencyPerWebhook", LaneWidth.ToString(CultureInfo.InvariantCulture))
        .With("Delivery:Timeout", timeout));

    [Fact]
    public async Task A_hanging_receiver_fills_only_its_own_lane_and_its_attempts_time_out_after_7_seconds()
    {
        var world = await StartWorldAsync();
        Slow.Respond(ReceiverAnswer.Hanging);
        var (slowId, _) = await world.CreateWebhookAsync(Slow.UrlFor(), "TODO_CREATED");
        var (healthyId, _) = await world.CreateWebhookAsync(_healthy.UrlFor(), "TODO_DELETED");

        for (var i = 0; i < LaneWidth + 3; i++) await world.PublishAsync("TODO_CREATED");
        await Slow.WaitForAsync(LaneWidth);
        for (var i = 0; i < 6; i++) await world.PublishAsync("TODO_DELETED");

        await _healthy.WaitForAsync(6);
        var healthy = await Eventually.ReturnsAsync(() => world.DeliveriesAsync(healthyId),
            ds => ds.All(d => d.Str("status") == "delivered"), "the healthy webhook's deliveries to be delivered");
        Assert.Equal(6, healthy.Count);

        // Meanwhile the hanging lane is still full: exactly its width in flight, none finished.
        Assert.Equal(LaneWidth, Slow.Requests.Count);
        var slow = await world.DeliveriesAsync(slowId);
        Assert.Equal(LaneWidth + 3, slow.Count);
        Assert.All(slow, d => Assert.Equal(0, d.GetProperty("attempts").GetInt32()));
        Assert.All(slow, d => Assert.Contains(d.Str("status"), new[] { "pending", "delivering" }));

        // Seven seconds later (on the app's clock) the hanging attempts give up.
        var inFlight = Slow.Requests.Select(r => long.Parse(r.Header("X-Webhook-Delivery"), CultureInfo.InvariantCulture)).ToList();
        world.Time.Advance(TimeSpan.FromSeconds(7));
        foreach (var id in inFlight)
        {
            var delivery = await world.WaitForAttemptsAsync(id, 1);
            var attempt = delivery.GetProperty("attemptLog")[0];
            Assert.Equal("timed out after 7 s", attempt.Str("error"));
            Assert.Equal(System.Text.Json.JsonValueKind.Null, attempt.GetProperty("statusCode").ValueKind);
            Assert.Equal("pending", delivery.Str("status"));
        }
        // The freed lane takes the next waiting deliveries.
        await Slow.WaitForAsync(2 * LaneWidth);
    }

    [Fact]
    public async Task A_burst_larger_than_the_lane_is_delivered_in_full_without_the_safety_poll()
    {
        var world = await StartWorldAsync();
        var (webhookId, _) = await world.CreateWebhookAsync(_healthy.UrlFor());
        var burst = Enumerable.Range(0, 5 * LaneWidth + 1)
            .Select(i => new { @event = "TODO_CREATED", projectId = ProjectId, currentValue = new { id = $"todo_{i}" } })
            .ToArray();
        await world.Admin.PostOk("/api/v1/events/batch", burst, HttpStatusCode.Accepted);

        await _healthy.WaitForAsync(burst.Length);
        await Eventually.ReturnsAsync(() => world.DeliveriesAsync(webhookId),
            ds => ds.Count == burst.Length && ds.All(d => d.Str("status") == "delivered"), "every delivery of the burst to be delivered");
    }

    [Fact]
    public async Task Retries_of_a_healthy_webhook_are_sent_on_time_while_another_webhook_s_lane_is_stuck()
    {
        // A long timeout keeps the stuck lane stuck while the clock moves to the retries.
        var world = await StartWorldAsync(timeout: "01:00:00");
        Slow.Respond(ReceiverAnswer.Hanging);
        _healthy.Respond(ReceiverAnswer.Fail(500));
        await world.CreateWebhookAsync(Slow.UrlFor(), "TODO_CREATED");
        var (healthyId, _) = await world.CreateWebhookAsync(_healthy.UrlFor(), "TODO_DELETED");

        for (var i = 0; i < LaneWidth + 1; i++) await world.PublishAsync("TODO_CREATED");
        await Slow.WaitForAsync(LaneWidth);

        // Two failed deliveries, so two retries are due at different moments.
        var first = await world.PublishAsync("TODO_DELETED");
        var firstId = (await world.DeliveryAsync(healthyId, first)).GetProperty("id").GetInt64();
        await world.WaitForAttemptsAsync(firstId, 1);
        world.Time.Advance(TimeSpan.FromMilliseconds(500));
        var second = await world.PublishAsync("TODO_DELETED");
        var secondId = (await world.DeliveryAsync(healthyId, second)).GetProperty("id").GetInt64();
        await world.WaitForAttemptsAsync(secondId, 1);
        _healthy.Respond(ReceiverAnswer.Ok);

        var retries = new[] { await world.DeliveryAsync(firstId), await world.DeliveryAsync(secondId) }
            .OrderBy(d => Date(d, "nextAttemptAt")).ToList();
        foreach (var retry in retries)
        {
            // Each retry is sent when its own time comes, not when some later wake-up happens to run the drain.
            world.AdvanceTo(Date(retry, "nextAttemptAt"));
            await world.WaitForStatusAsync(retry.GetProperty("id").GetInt64(), "delivered");
        }
        // The stuck lane stayed stuck the whole time: nothing else woke the drain for these retries.
        Assert.Equal(LaneWidth, Slow.Requests.Count);
    }
}
