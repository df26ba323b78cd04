using System.Text.Json;
using WebhookAdmin.Features.Deliveries.Outbox;
using WebhookAdmin.Tests.Infrastructure;

namespace WebhookAdmin.Tests.Features.Deliveries;

/// <summary>
/// A healthy webhook's health row is rewritten at most once a second by routine successes (ADR-019), while a
/// failure, and the first success after one, are written at once. On the fake clock, against a real receiver.
/// </summary>
public sealed class HealthRowTests : IAsyncLifetime
{
    private TestReceiver _receiver = null!;
    private DeliveryWorld _world = null!;

    public async ValueTask InitializeAsync()
    {
        _receiver = await TestReceiver.StartAsync();
        _receiver.Respond(request => request.Path.StartsWith("/fail", StringComparison.Ordinal) ? ReceiverAnswer.Fail(500) : ReceiverAnswer.Ok);
        _world = await DeliveryWorld.StartAsync(new WorldOptions { FakeClock = true, Receiver = _receiver });
    }

    public async ValueTask DisposeAsync()
    {
        await _world.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    [Fact]
    public async Task Routine_successes_rewrite_the_row_once_a_second_and_a_failure_at_once()
    {
        var (webhookId, _) = await _world.CreateWebhookAsync(_receiver.UrlFor("/ok"));
        var first = await DeliverAsync(webhookId);
        Assert.Equal(first, LastSuccess(await _world.WebhookAsync(webhookId)));

        // Half the interval later: delivered, and the row keeps the first success for now. Where instances share the
        // database (PostgreSQL) another one may have counted a failure meanwhile, so every batch writes the row.
        _world.Time.Advance(OutcomeWriter.RoutineHealthInterval / 2);
        var second = await DeliverAsync(webhookId);
        Assert.Equal(TestDatabase.OnPostgres ? second : first, LastSuccess(await _world.WebhookAsync(webhookId)));

        // A full interval after the row was written: written again.
        _world.Time.Advance(OutcomeWriter.RoutineHealthInterval / 2);
        var third = await DeliverAsync(webhookId);
        Assert.Equal(third, LastSuccess(await _world.WebhookAsync(webhookId)));

        // A failure is counted at once, however recent the last write.
        _receiver.Respond(ReceiverAnswer.Fail(500));
        await DeliverAsync(webhookId, expectDelivered: false);
        var failing = await _world.WebhookAsync(webhookId);
        Assert.Equal(1, failing.GetProperty("consecutiveFailures").GetInt32());

        // And the success right after it resets the count at once too.
        _receiver.Respond(ReceiverAnswer.Ok);
        var recovered = await DeliverAsync(webhookId);
        var row = await _world.WebhookAsync(webhookId);
        Assert.Equal(0, row.GetProperty("consecutiveFailures").GetInt32());
        Assert.Equal(recovered, LastSuccess(row));
    }

    /// <summary>Publishes one event and waits for its first attempt to be stored; answers the attempt's start time.</summary>
    private async Task<DateTime> DeliverAsync(string webhookId, bool expectDelivered = true)
    {
        var eventId = await _world.PublishAsync();
        var id = (await _world.DeliveryAsync(webhookId, eventId)).GetProperty("id").GetInt64();
        var delivery = await _world.WaitForAttemptsAsync(id, 1);
        if (expectDelivered) Assert.Equal("delivered", delivery.Str("status"));
        return DeliveryWorld.Date(delivery, "lastAttemptAt");
    }

    private static DateTime LastSuccess(JsonElement webhook) => DeliveryWorld.Date(webhook, "lastSuccessAt");
}
