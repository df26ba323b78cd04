using System.Text;
using System.Text.Json;
using WebhookAdmin.Features.Deliveries.Sending;
using WebhookAdmin.Features.Events;
using WebhookAdmin.Features.Webhooks;

namespace WebhookAdmin.Tests.Features.Deliveries;

/// <summary>The body a receiver gets (contract, section 4), written without a host.</summary>
public sealed class PayloadWriterTests
{
    private const string Secret = "whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTMy";
    private static readonly DateTime OccurredAt = new(2026, 11, 26, 10, 0, 0, 123, DateTimeKind.Utc);

    private static readonly WebhookSnapshot Webhook = new("01wh", "wh_abc123", "https://crm.example.com/hook", true,
        WebhookStatus.Healthy, ["TODO_CREATED", "TODO_DELETED"], ["p1"], [Secret], 1);

    [Fact]
    public void An_event_body_has_Blue_s_envelope_with_company_project_and_actor_in_the_contract_s_order()
    {
        var evt = new EventSnapshot("evt_1", "TODO_CREATED", OccurredAt, "acme", "Acme", "p1", "Website", "user_7",
            "{\"title\":\"Old\"}", "{\"title\":\"New\"}");

        var json = Parse(PayloadWriter.Write(Webhook, evt));

        Assert.Equal(["id", "event", "timestamp", "webhook", "company", "project", "actor", "previousValue", "currentValue"],
            json.EnumerateObject().Select(p => p.Name));
        Assert.Equal("evt_1", json.GetProperty("id").GetString());
        Assert.Equal("TODO_CREATED", json.GetProperty("event").GetString());
        Assert.Equal("2026-11-26T10:00:00.123Z", json.GetProperty("timestamp").GetString());
        Assert.Equal("Acme", json.GetProperty("company").GetProperty("name").GetString());
        Assert.Equal("p1", json.GetProperty("project").GetProperty("id").GetString());
        Assert.Equal("user_7", json.GetProperty("actor").GetProperty("id").GetString());
        Assert.Equal("Old", json.GetProperty("previousValue").GetProperty("title").GetString());
        Assert.Equal("New", json.GetProperty("currentValue").GetProperty("title").GetString());

        var webhook = json.GetProperty("webhook");
        Assert.Equal(["id", "uid", "url", "status", "enabled", "metadata"], webhook.EnumerateObject().Select(p => p.Name));
        Assert.Equal("wh_abc123", webhook.GetProperty("uid").GetString());
        Assert.Equal("HEALTHY", webhook.GetProperty("status").GetString());
        Assert.True(webhook.GetProperty("enabled").GetBoolean());
        Assert.Equal(["TODO_CREATED", "TODO_DELETED"], webhook.GetProperty("metadata").GetProperty("events").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["p1"], webhook.GetProperty("metadata").GetProperty("projectIds").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void Published_values_are_embedded_byte_for_byte()
    {
        const string current = "{\"price\":1.50,\"big\":12345678901234567890,\"text\":\"caf\\u00e9 \\\"quoted\\\"\"}";
        var evt = new EventSnapshot("evt_2", "TODO_CREATED", OccurredAt, "acme", "Acme", "p1", "Website", null, null, current);

        var body = Encoding.UTF8.GetString(PayloadWriter.Write(Webhook, evt));

        Assert.Contains("\"currentValue\":" + current, body);
        Assert.Contains("\"previousValue\":null", body);
        Assert.Contains("\"actor\":null", body);
    }

    [Fact]
    public void An_event_without_a_project_says_null_for_company_and_project()
    {
        var evt = new EventSnapshot("evt_3", "TODO_CREATED", OccurredAt, null, null, null, null, null, null, null);
        var json = Parse(PayloadWriter.Write(Webhook, evt));

        Assert.Equal(JsonValueKind.Null, json.GetProperty("company").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("project").ValueKind);
    }

    [Fact]
    public void The_health_check_body_is_id_event_timestamp_and_webhook_only()
    {
        var evt = new EventSnapshot("evt_hc", EventCatalog.HealthCheck, OccurredAt, null, null, null, null, null, null, null);
        var json = Parse(PayloadWriter.Write(Webhook with { Enabled = false, Status = WebhookStatus.Unhealthy }, evt));

        Assert.Equal(["id", "event", "timestamp", "webhook"], json.EnumerateObject().Select(p => p.Name));
        Assert.Equal("WEBHOOK_HEALTH_CHECK", json.GetProperty("event").GetString());
        Assert.Equal("UNHEALTHY", json.GetProperty("webhook").GetProperty("status").GetString());
        Assert.False(json.GetProperty("webhook").GetProperty("enabled").GetBoolean());
    }

    [Fact]
    public void The_secret_is_never_part_of_the_body()
    {
        var evt = new EventSnapshot("evt_4", "TODO_CREATED", OccurredAt, "acme", "Acme", "p1", "Website", null, null, null);
        Assert.DoesNotContain(Secret, Encoding.UTF8.GetString(PayloadWriter.Write(Webhook, evt)));
        Assert.DoesNotContain("secret", Encoding.UTF8.GetString(PayloadWriter.Write(Webhook, evt)), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Timestamps_are_UTC_with_milliseconds_and_a_Z() =>
        Assert.Equal("2026-01-02T03:04:05.006Z", PayloadWriter.FormatTimestamp(new DateTime(2026, 1, 2, 3, 4, 5, 6, DateTimeKind.Utc)));

    private static JsonElement Parse(byte[] body) => JsonDocument.Parse(body).RootElement.Clone();
}
