using System.Security.Cryptography;
using System.Text;
using WebhookAdmin.Tests.Infrastructure;
using static WebhookAdmin.Tests.Infrastructure.DeliveryWorld;

namespace WebhookAdmin.Tests.Features.Deliveries;

/// <summary>
/// The delivery page shows each attempt's exact request: the bytes the receiver got and signed over, and the
/// headers, however the webhook and the project changed since.
/// </summary>
public sealed class ExactRequestTests() : WorldTests(WorldOptions.FakeClockNoPoll)
{
    [Fact]
    public async Task Each_attempt_shows_the_exact_body_it_sent_even_after_the_webhook_and_the_project_changed()
    {
        await World.Admin.ProjectAsync(ProjectId, "acme", "Sítio \"Web\" & <Loja>");
        Receiver.Respond(r => r.Path == "/first" ? ReceiverAnswer.Fail(500) : ReceiverAnswer.Ok);
        var (webhookId, secret) = await World.CreateWebhookAsync(Receiver.UrlFor("/first"), "TODO_CREATED");
        var eventId = await World.PublishAsync(currentValue: new { id = "todo_1", title = "Olá — ünïcode ✓", tags = new[] { new { title = "Urgent" } } });
        var id = (await World.DeliveryAsync(webhookId, eventId)).GetProperty("id").GetInt64();
        var first = await World.WaitForAttemptsAsync(id, 1);

        // Between the attempts the webhook moves and the project is renamed.
        await World.Admin.SendExpectAsync(HttpMethod.Patch, $"/api/v1/webhooks/{webhookId}", new { url = Receiver.UrlFor("/second") }, System.Net.HttpStatusCode.OK);
        await World.Admin.ProjectAsync(ProjectId, "acme", "Renamed");
        World.AdvanceTo(Date(first, "nextAttemptAt"));
        await World.WaitForAttemptsAsync(id, 2);
        await World.Admin.SendExpectAsync(HttpMethod.Patch, $"/api/v1/webhooks/{webhookId}", new { url = Receiver.UrlFor("/third") }, System.Net.HttpStatusCode.OK);

        var received = Receiver.Requests;
        var delivery = await World.DeliveryAsync(id);
        var log = delivery.GetProperty("attemptLog");
        for (var i = 0; i < 2; i++)
        {
            var body = log[i].Str("requestBody");
            Assert.Equal(received[i].BodyText, body);
            var signature = log[i].GetProperty("requestHeaders").GetProperty("X-Signature").GetString();
            Assert.Equal(received[i].Header("X-Signature"), signature);
            Assert.Equal(Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body))), signature);
        }
        Assert.Contains("/first", log[0].Str("requestBody"));
        Assert.Contains("/second", log[1].Str("requestBody"));
        // The name it was published under, on both attempts.
        Assert.All(received, r => Assert.Equal("Sítio \"Web\" & <Loja>", r.Json.GetProperty("project").GetProperty("name").GetString()));
        // The payload is the body as last sent (as JSON), not as the webhook stands now.
        Assert.True(System.Text.Json.JsonElement.DeepEquals(received[1].Json, delivery.GetProperty("payload")),
            $"payload {delivery.GetProperty("payload")} is not the last body sent");
    }
}
