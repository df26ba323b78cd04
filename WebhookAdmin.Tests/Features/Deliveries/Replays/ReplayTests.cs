using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WebhookAdmin.Features.Deliveries.Replays;
using WebhookAdmin.Tests.Infrastructure;

namespace WebhookAdmin.Tests.Features.Deliveries.Replays;

/// <summary>
/// Bulk replay on the real engine (either provider, as the run chooses): what the dry run counts is what goes out, a
/// batch at a time within the webhook's limit, with progress to follow, and a cancelled replay stops handing over.
/// The webhook's deliveries are made "failed" behind the app's back: the engine's own failing path disables the webhook.
/// </summary>
public sealed class ReplayTests() : WorldTests(WorldOptions.Default
    .With("Delivery:MaxConcurrencyPerWebhook", "2")
    // The receiver holds some requests on purpose; no attempt may time out meanwhile.
    .With("Delivery:Timeout", "00:00:40").With("Delivery:LeaseDuration", "00:01:30"))
{
    [Fact]
    public async Task The_dry_run_counts_exactly_the_deliveries_the_replay_then_sends_and_the_replay_finishes_with_all_of_them_delivered()
    {
        var (webhookId, _) = await World.CreateWebhookAsync(Receiver.UrlFor());
        var failed = await DeliveredAsync(webhookId, 7);
        var stillDelivered = await DeliveredAsync(webhookId, 3);
        await MarkFailedAsync(failed);

        var dryRun = await Admin.PostOk($"/api/v1/webhooks/{webhookId}/replay", Criteria(dryRun: true));
        Assert.Equal(7, dryRun.GetProperty("count").GetInt32());
        var started = await Admin.PostOk($"/api/v1/webhooks/{webhookId}/replay", Criteria(dryRun: false), HttpStatusCode.Accepted);
        Assert.Equal(7, started.GetProperty("count").GetInt32());

        var done = await WaitForReplayAsync(started.Str("id"), r => r.Str("state") == "done" && r.GetProperty("delivered").GetInt32() == 7);
        Assert.Equal(7, done.GetProperty("sent").GetInt32());
        Assert.Equal(7 + 3 + 7, Receiver.Requests.Count);
        var sentAgain = Receiver.Requests.Skip(10).Select(r => long.Parse(r.Header("X-Webhook-Delivery"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(failed.Order(), sentAgain.Order());
        foreach (var id in failed.Concat(stillDelivered)) Assert.Equal("delivered", (await World.DeliveryAsync(id)).Str("status"));
    }

    [Fact]
    public async Task A_replay_never_puts_more_than_the_webhook_s_limit_in_the_outbox_at_once()
    {
        var (webhookId, _) = await World.CreateWebhookAsync(Receiver.UrlFor());
        var failed = await DeliveredAsync(webhookId, 16);
        await MarkFailedAsync(failed);
        var outstanding = new List<long>();
        Receiver.Respond(_ =>
        {
            // Seen from the receiver while it holds a request: everything waiting for the webhook or in flight towards it.
            var rows = App.Database.QueryAsync("""
                SELECT COUNT(*) FROM "Deliveries" WHERE "WebhookId" = @w AND "Status" IN ('pending', 'delivering')
                """, ("@w", webhookId)).GetAwaiter().GetResult();
            lock (outstanding) outstanding.Add(Convert.ToInt64(rows[0][0], System.Globalization.CultureInfo.InvariantCulture));
            return ReceiverAnswer.Ok;
        });

        var started = await Admin.PostOk($"/api/v1/webhooks/{webhookId}/replay", Criteria(dryRun: false), HttpStatusCode.Accepted);
        await WaitForReplayAsync(started.Str("id"), r => r.Str("state") == "done");
        await Receiver.WaitForAsync(16 + 16);
        // The receiver counts a request before its answer is made, so the last count may still be on its way.
        await Eventually.ReturnsAsync(() => { lock (outstanding) return Task.FromResult(outstanding.Count); }, n => n >= 16, "the receiver's 16 counts");

        lock (outstanding)
        {
            Assert.Equal(16, outstanding.Count);
            Assert.All(outstanding, n => Assert.InRange(n, 1, 2));
        }
    }

    [Fact]
    public async Task Progress_shows_what_was_handed_over_and_a_cancelled_replay_hands_over_nothing_more()
    {
        var (webhookId, _) = await World.CreateWebhookAsync(Receiver.UrlFor());
        var failed = await DeliveredAsync(webhookId, 6);
        await MarkFailedAsync(failed);
        using var release = new ManualResetEventSlim();
        Receiver.Respond(_ =>
        {
            release.Wait(TimeSpan.FromSeconds(30));
            return ReceiverAnswer.Ok;
        });

        var id = (await Admin.PostOk($"/api/v1/webhooks/{webhookId}/replay", Criteria(dryRun: false), HttpStatusCode.Accepted)).Str("id");
        await Receiver.WaitForAsync(6 + 2);
        var running = await WaitForReplayAsync(id, r => r.GetProperty("sent").GetInt32() == 2);
        Assert.Equal("running", running.Str("state"));
        Assert.Equal(6, running.GetProperty("count").GetInt32());
        Assert.Equal(0, running.GetProperty("delivered").GetInt32());
        // One replay of a webhook at a time.
        var second = await Admin.PostAsJsonAsync($"/api/v1/webhooks/{webhookId}/replay", Criteria(dryRun: false), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);

        var cancelled = await Admin.PostOk($"/api/v1/replays/{id}/cancel", null);
        Assert.Equal("cancelled", cancelled.Str("state"));
        release.Set();
        await Eventually.ReturnsAsync(() => ReplayAsync(id), r => r.GetProperty("delivered").GetInt32() == 2, "the two handed over delivered");
        // A run that finds room again: the cancelled replay is not worked any more.
        await App.Service<ReplayWorker>().RunAsync(TestContext.Current.CancellationToken);
        await World.RunDrainAsync();

        var after = await ReplayAsync(id);
        Assert.Equal(("cancelled", 2), (after.Str("state"), after.GetProperty("sent").GetInt32()));
        Assert.Equal(6 + 2, Receiver.Requests.Count);
        var statuses = new List<string>();
        foreach (var delivery in failed) statuses.Add((await World.DeliveryAsync(delivery)).Str("status"));
        Assert.Equal(4, statuses.Count(s => s == "failed"));
        var listed = await Admin.GetOk($"/api/v1/webhooks/{webhookId}/replays");
        Assert.Equal(id, listed.GetProperty("items")[0].Str("id"));
    }

    [Fact]
    public async Task Wrong_criteria_answer_400_naming_the_field_and_a_disabled_webhook_answers_409()
    {
        var (webhookId, _) = await World.CreateWebhookAsync(Receiver.UrlFor());
        var now = DateTimeOffset.UtcNow;
        await ExpectProblemAsync(webhookId, new { status = new[] { "failed", "lost" }, since = now.AddDays(-1), until = now, dryRun = true }, "status");
        await ExpectProblemAsync(webhookId, new { status = new[] { "pending" }, since = now.AddDays(-1), until = now, dryRun = true }, "status");
        await ExpectProblemAsync(webhookId, new { status = new[] { "failed" }, since = now, until = now.AddDays(-1), dryRun = true }, "since");
        await ExpectProblemAsync(webhookId, new { status = new[] { "failed" }, since = now.AddDays(-200), until = now, dryRun = true }, "since");
        await ExpectProblemAsync(webhookId, new { status = new[] { "failed" }, until = now, dryRun = true }, "since");
        await ExpectProblemAsync(webhookId, new { status = new[] { "failed" }, since = now.AddDays(-1), until = now, @event = "NOPE", dryRun = true }, "event");
        await ExpectProblemAsync(webhookId, new { status = new[] { "failed" }, since = now.AddDays(-1), until = now }, "dryRun");

        await Admin.PostOk($"/api/v1/webhooks/{webhookId}/disable", null);
        var disabled = await Admin.PostAsJsonAsync($"/api/v1/webhooks/{webhookId}/replay", Criteria(dryRun: true), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Conflict, disabled.StatusCode);
        Assert.Equal("application/problem+json", disabled.Content.Headers.ContentType?.MediaType);
        var missing = await Admin.GetAsync("/api/v1/replays/rpl_none", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    private async Task ExpectProblemAsync(string webhookId, object body, string field)
    {
        var response = await Admin.PostAsJsonAsync($"/api/v1/webhooks/{webhookId}/replay", body, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.JsonAsync();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"Expected an error on '{field}': {problem}");
    }

    private static object Criteria(bool dryRun) => new
    {
        status = new[] { "failed" },
        since = DateTimeOffset.UtcNow.AddDays(-7),
        until = DateTimeOffset.UtcNow.AddMinutes(1),
        dryRun,
    };

    /// <summary>Publishes <paramref name="count"/> events and waits until each delivery is delivered; answers their ids.</summary>
    private async Task<List<long>> DeliveredAsync(string webhookId, int count)
    {
        var ids = new List<long>();
        for (var i = 0; i < count; i++)
            ids.Add((await World.DeliveryAsync(webhookId, await World.PublishAsync())).GetProperty("id").GetInt64());
        foreach (var id in ids) await World.WaitForStatusAsync(id, "delivered");
        return ids;
    }

    private Task MarkFailedAsync(IEnumerable<long> ids) => App.Database.ExecuteAsync($"""
        UPDATE "Deliveries" SET "Status" = 'failed', "DeliveredAt" = NULL, "LastStatusCode" = 500
        WHERE "Id" IN ({string.Join(", ", ids)})
        """);

    private Task<JsonElement> ReplayAsync(string id) => Admin.GetOk($"/api/v1/replays/{id}");

    private Task<JsonElement> WaitForReplayAsync(string id, Func<JsonElement, bool> done) =>
        Eventually.ReturnsAsync(() => ReplayAsync(id), done, $"replay {id}", TimeSpan.FromSeconds(60));
}
