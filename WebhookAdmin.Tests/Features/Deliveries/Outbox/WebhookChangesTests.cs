using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using WebhookAdmin.Features.Deliveries.Outbox;
using WebhookAdmin.Tests.Api;
using WebhookAdmin.Tests.Infrastructure;
using static WebhookAdmin.Tests.Features.Deliveries.DeliveryWorld;

namespace WebhookAdmin.Tests.Features.Deliveries.Outbox;

/// <summary>
/// What notifications build on: every change to a webhook's health reaches the commit observers once it is
/// committed: each growth of its failure streak, an automatic or a person's disable, a re-enable with what it released.
/// </summary>
public sealed class WebhookChangesTests : IAsyncLifetime
{
    private readonly Recorder _seen = new();
    private TestReceiver _receiver = null!;
    private DeliveryWorld _world = null!;

    public async ValueTask InitializeAsync()
    {
        _receiver = await TestReceiver.StartAsync();
        _world = await StartAsync(FakeClock(), new Dictionary<string, string?>
        {
            ["Delivery:MaxAttempts"] = "2",
            ["Delivery:PollInterval"] = NoPoll,
        }, services => services.AddSingleton<ICommitObserver>(_seen));
    }

    public async ValueTask DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await _world.DisposeAsync();
    }

    [Fact]
    public async Task A_failing_webhook_reports_its_streak_then_its_automatic_disable_then_its_re_enable()
    {
        _receiver.Respond(ReceiverAnswer.Fail(500));
        var (webhookId, _) = await _world.CreateWebhookAsync(_receiver.UrlFor());
        var id = (await _world.DeliveryAsync(webhookId, await _world.PublishAsync())).GetProperty("id").GetInt64();
        var first = await _world.WaitForAttemptsAsync(id, 1);
        _world.AdvanceTo(Date(first, "nextAttemptAt"));
        await _world.WaitForStatusAsync(id, "failed");
        await Eventually.ReturnsAsync(() => Task.FromResult(_seen.Of(webhookId).Count), n => n >= 3, "the disable to be reported");

        _receiver.Respond(ReceiverAnswer.Ok);
        await _world.Admin.PostOk($"/api/v1/webhooks/{webhookId}/enable", new { replayHeld = true });

        var changes = _seen.Of(webhookId);
        Assert.Equal([WebhookChangeKind.FailureStreak, WebhookChangeKind.FailureStreak, WebhookChangeKind.Disabled, WebhookChangeKind.Enabled],
            changes.Select(c => c.Kind));
        Assert.Equal([(1, 1), (2, 1)], changes.Take(2).Select(c => (c.Streak, c.GrewBy)));
        Assert.Null(changes[2].ByUserId);
        Assert.Equal("Disabled.FailedInARow", changes[2].Reason!.Code);
        Assert.Equal(1, changes[3].Released);
    }

    [Fact]
    public async Task A_person_s_disable_names_who_did_it()
    {
        var (webhookId, _) = await _world.CreateWebhookAsync(_receiver.UrlFor());

        await _world.Admin.PostOk($"/api/v1/webhooks/{webhookId}/disable", null);

        var disabled = Assert.Single(_seen.Of(webhookId));
        Assert.Equal(WebhookChangeKind.Disabled, disabled.Kind);
        Assert.Equal(await _world.App.UserIdAsync(TestApp.AdminEmail), disabled.ByUserId);
    }

    private sealed class Recorder : ICommitObserver
    {
        private readonly ConcurrentQueue<WebhookChange> _changes = new();

        public List<WebhookChange> Of(string webhookId) => _changes.Where(c => c.WebhookId == webhookId).ToList();

        public void Committed(CommittedChanges changes)
        {
            foreach (var change in changes.WebhookChanges) _changes.Enqueue(change);
        }
    }
}
