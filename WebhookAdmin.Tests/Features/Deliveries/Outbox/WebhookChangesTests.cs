using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using WebhookAdmin.Features.Deliveries.Outbox;
using WebhookAdmin.Tests.Api;
using WebhookAdmin.Tests.Infrastructure;
using static WebhookAdmin.Tests.Infrastructure.DeliveryWorld;

namespace WebhookAdmin.Tests.Features.Deliveries.Outbox;

/// <summary>
/// What notifications build on: every change to a webhook's health reaches the commit observers once it is
/// committed: each growth of its failure streak, an automatic or a person's disable, a re-enable with what it released.
/// </summary>
public sealed class WebhookChangesTests() : WorldTests(options: null)
{
    private readonly Recorder _seen = new();

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        await StartWorldAsync(WorldOptions.FakeClockNoPoll.With("Delivery:MaxAttempts", "2") with
        {
            Services = services => services.AddSingleton<ICommitObserver>(_seen),
        });
    }

    [Fact]
    public async Task A_failing_webhook_reports_its_streak_then_its_automatic_disable_then_its_re_enable()
    {
        Receiver.Respond(ReceiverAnswer.Fail(500));
        var (webhookId, _) = await World.CreateWebhookAsync(Receiver.UrlFor());
        var id = (await World.DeliveryAsync(webhookId, await World.PublishAsync())).GetProperty("id").GetInt64();
        var first = await World.WaitForAttemptsAsync(id, 1);
        World.AdvanceTo(Date(first, "nextAttemptAt"));
        await World.WaitForStatusAsync(id, "failed");
        await Eventually.ReturnsAsync(() => Task.FromResult(_seen.Of(webhookId).Count), n => n >= 3, "the disable to be reported");

        Receiver.Respond(ReceiverAnswer.Ok);
        await World.Admin.PostOk($"/api/v1/webhooks/{webhookId}/enable", new { replayHeld = true });

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
        var (webhookId, _) = await World.CreateWebhookAsync(Receiver.UrlFor());

        await World.Admin.PostOk($"/api/v1/webhooks/{webhookId}/disable", null);

        var disabled = Assert.Single(_seen.Of(webhookId));
        Assert.Equal(WebhookChangeKind.Disabled, disabled.Kind);
        Assert.Equal(await World.App.UserIdAsync(TestApp.AdminEmail), disabled.ByUserId);
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
