using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using WebhookAdmin.Tests.Infrastructure;

namespace WebhookAdmin.Tests.Features.Notifications;

/// <summary>
/// Health events (contract, section 6): subscribed like any event, about the owner's other webhooks (an
/// administrator's webhook: about every webhook), never about the webhook itself; signed like every delivery, with
/// no company or project, and not filtered by projects.
/// </summary>
public sealed class HealthEventTests() : WorldTests(WorldOptions.FakeClockNoPoll)
{
    [Fact]
    public async Task A_disable_reaches_the_owner_s_other_subscribed_webhooks_and_the_administrators_but_never_itself()
    {
        using var developer = App.Api(await Admin.TokenForAsync("dev@test.local", "webhooks"));
        var (watched, _) = await World.CreateWebhookAsync(Receiver.UrlFor("/watched"), "TODO_CREATED", "WEBHOOK_DISABLED");
        var (pager, pagerSecret) = await CreateAsync(Admin, "/pager", ["WEBHOOK_DISABLED"], projectIds: [DeliveryWorld.ProjectId]);
        var (developersAll, _) = await CreateAsync(developer, "/dev-all", events: []);
        var (developersWatcher, _) = await CreateAsync(developer, "/dev-watcher", ["WEBHOOK_DISABLED"]);
        var (developersOwn, _) = await CreateAsync(developer, "/dev-own", ["WEBHOOK_DISABLED"]);

        await Admin.PostOk($"/api/v1/webhooks/{watched}/disable", null);
        await developer.PostOk($"/api/v1/webhooks/{developersOwn}/disable", null);

        var toPager = await Eventually.ReturnsAsync(() => Task.FromResult(Receiver.Requests.Where(r => r.Path == "/pager").ToList()),
            r => r.Count >= 2, "both health events to reach the administrator's pager");
        // The two disables' events travel side by side: either may arrive first.
        Assert.Equal([watched, developersOwn],
            toPager.Select(r => r.Json.GetProperty("subject").GetProperty("webhook").Str("id")).ToHashSet());
        var aboutWatched = toPager.Single(r => r.Json.GetProperty("subject").GetProperty("webhook").Str("id") == watched);
        AssertHealthBody(aboutWatched, "WEBHOOK_DISABLED", pager, pagerSecret);
        var subject = aboutWatched.Json.GetProperty("subject");
        Assert.False(subject.GetProperty("webhook").GetProperty("enabled").GetBoolean());
        Assert.StartsWith("Disabled by admin@test.local", subject.Str("reason"), StringComparison.Ordinal);
        Assert.Equal(0, subject.GetProperty("held").GetInt32());
        Assert.Equal(0, subject.GetProperty("consecutiveFailures").GetInt32());

        // Stored in the same transactions as the pager's: they exist now if they ever will.
        // Disabled, so held; about the developer's webhook (an administrator's hears about all), never about itself.
        Assert.Equal([developersOwn], await SubjectsAsync(Admin, watched));
        Assert.Equal([developersOwn], await SubjectsAsync(developer, developersWatcher));
        // "Every event" means the platform's events: alerts go only to webhooks that name them.
        Assert.Empty(HealthDeliveries(await DeliveriesAsync(developer, developersAll)));
        Assert.Empty(HealthDeliveries(await DeliveriesAsync(developer, developersOwn)));
    }

    [Fact]
    public async Task The_catalog_lists_the_webhook_health_group_and_nobody_can_publish_its_events()
    {
        var types = await Admin.GetOk("/api/v1/event-types");
        var health = types.EnumerateArray().Where(t => t.Str("group") == "Webhook health").Select(t => t.Str("name"));
        Assert.Equal(["WEBHOOK_FAILING", "WEBHOOK_DISABLED", "WEBHOOK_RECOVERED"], health);

        var refused = await Admin.SendExpectAsync(HttpMethod.Post, "/api/v1/events",
            new { @event = "WEBHOOK_FAILING", projectId = DeliveryWorld.ProjectId }, HttpStatusCode.BadRequest);
        Assert.True(refused.GetProperty("errors").TryGetProperty("event", out _), refused.ToString());
    }

    private static void AssertHealthBody(ReceivedRequest request, string type, string receiverId, string secret)
    {
        var body = request.Json;
        Assert.Equal(type, body.Str("event"));
        Assert.Equal(type, request.Header("X-Webhook-Event"));
        Assert.Equal(receiverId, body.GetProperty("webhook").Str("id"));
        Assert.Equal(JsonValueKind.Null, body.GetProperty("project").ValueKind);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("company").ValueKind);
        Assert.StartsWith("evt_", body.Str("id"), StringComparison.Ordinal);
        var signature = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), request.Body));
        Assert.Equal(signature, request.Header("X-Signature"));
    }

    private async Task<(string Id, string Secret)> CreateAsync(HttpClient owner, string path, string[] events, string[]? projectIds = null)
    {
        var created = await owner.PostOk("/api/v1/webhooks", new { url = Receiver.UrlFor(path), events, projectIds = projectIds ?? [] },
            HttpStatusCode.Created);
        return (created.Str("id"), created.Str("secret"));
    }

    private static async Task<List<JsonElement>> DeliveriesAsync(HttpClient owner, string webhookId) =>
        (await owner.GetOk($"/api/v1/webhooks/{webhookId}/deliveries?take=200")).GetProperty("items").EnumerateArray().ToList();

    private static List<JsonElement> HealthDeliveries(List<JsonElement> deliveries) =>
        deliveries.Where(d => d.Str("event").StartsWith("WEBHOOK_", StringComparison.Ordinal)).ToList();

    /// <summary>Which webhooks the health events delivered to <paramref name="webhookId"/> were about.</summary>
    private static async Task<List<string>> SubjectsAsync(HttpClient owner, string webhookId)
    {
        var subjects = new List<string>();
        foreach (var delivery in HealthDeliveries(await DeliveriesAsync(owner, webhookId)))
        {
            var detail = await owner.GetOk($"/api/v1/deliveries/{delivery.GetProperty("id").GetInt64()}");
            using var payload = JsonDocument.Parse(detail.GetProperty("payload").ValueKind == JsonValueKind.String
                ? detail.Str("payload") : detail.GetProperty("payload").GetRawText());
            subjects.Add(payload.RootElement.GetProperty("subject").GetProperty("webhook").Str("id"));
        }
        return subjects;
    }
}
