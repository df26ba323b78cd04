using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using WebhookAdmin.Data;
using WebhookAdmin.Tests.Infrastructure;

namespace WebhookAdmin.Tests.Features.Deliveries.Reasons;

/// <summary>
/// Real attempts (a receiver that hangs past the timeout, one that answers 500, a port nobody listens on) and the
/// automatic disables they cause store each reason twice: the English sentence the API shows, unchanged, and its
/// parts, whose English words are that very sentence.
/// </summary>
public sealed class StoredReasonTests() : WorldTests(
    // One attempt per delivery: the first failure disables the webhook.
    WorldOptions.FakeClockNoPoll.With("Delivery:MaxAttempts", "1").With("Delivery:Timeout", "00:00:07"))
{
    private TestReceiver _failing = null!;

    private TestReceiver Hanging => Receiver;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        Hanging.Respond(ReceiverAnswer.Hanging);
        _failing = await StartReceiverAsync();
        _failing.Respond(ReceiverAnswer.Fail(500));
    }

    [Fact]
    public async Task A_timeout_a_500_and_a_refused_connection_and_the_disables_they_cause_store_parts_whose_English_is_the_stored_text()
    {
        var (timingOut, _) = await World.CreateWebhookAsync(Hanging.UrlFor());
        var (answering500, _) = await World.CreateWebhookAsync(_failing.UrlFor());
        var (refusing, _) = await World.CreateWebhookAsync($"http://127.0.0.1:{Loopback.ClosedPort()}/hook");
        var eventId = await World.PublishAsync("TODO_CREATED");

        await AssertStoredAsync(answering500, eventId, "Answered", "the receiver answered 500 Internal Server Error");
        await AssertStoredAsync(refusing, eventId, "Refused", "connection refused");
        // Only once the others are recorded: moving the app's clock times out whatever is still in flight.
        await Hanging.WaitForAsync(1);
        World.Time.Advance(TimeSpan.FromSeconds(7));
        await AssertStoredAsync(timingOut, eventId, "TimedOut", "timed out after 7 s");
    }

    private async Task AssertStoredAsync(string webhookId, string eventId, string code, string english)
    {
        var webhookJson = await Eventually.ReturnsAsync(() => World.WebhookAsync(webhookId), w => !w.GetProperty("enabled").GetBoolean(), $"webhook {webhookId} to be disabled");
        var deliveryJson = await World.DeliveryAsync(webhookId, eventId);
        var attemptJson = Assert.Single(deliveryJson.GetProperty("attemptLog").EnumerateArray());

        await using var db = await World.App.Service<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        var id = deliveryJson.GetProperty("id").GetInt64();
        var attempt = await db.Attempts.AsNoTracking().SingleAsync(a => a.DeliveryId == id);
        var delivery = await db.Deliveries.AsNoTracking().SingleAsync(d => d.Id == id);
        var webhook = await db.Webhooks.AsNoTracking().SingleAsync(w => w.Id == webhookId);

        // The attempt: the API's words as before, and parts that say exactly them.
        Assert.Equal(english, attempt.Error);
        Assert.Equal(code, attempt.ErrorReason?.Code);
        Assert.Equal(attempt.Error, attempt.ErrorReason!.English());
        Assert.Equal(english, attemptJson.Str("error"));
        // The delivery's last error is the same reason.
        Assert.Equal(english, delivery.LastError);
        Assert.Equal(delivery.LastError, delivery.LastErrorReason?.English());
        Assert.Equal(english, deliveryJson.Str("lastError"));

        // The disable: its parts put into English are the stored reason, which is what the API answers.
        Assert.Equal("Disabled.FailedInARow", webhook.DisabledBecause?.Code);
        Assert.Equal(webhook.DisabledReason, webhook.DisabledBecause!.English());
        Assert.Equal(webhook.DisabledReason, webhookJson.Str("disabledReason"));
        Assert.EndsWith($"a TODO_CREATED delivery failed 1 times in a row. Last error: {english}.", webhook.DisabledReason);
        Assert.Equal(code, webhook.DisabledBecause.Cause?.Code);

        // The parts stay out of the API: its answers are what they were.
        Assert.False(attemptJson.TryGetProperty("errorReason", out _));
        Assert.False(deliveryJson.TryGetProperty("lastErrorReason", out _));
        Assert.False(webhookJson.TryGetProperty("disabledBecause", out _));
        Assert.Equal(JsonValueKind.String, webhookJson.GetProperty("disabledReason").ValueKind);
    }
}
