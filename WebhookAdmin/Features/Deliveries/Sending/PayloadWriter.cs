using System.Buffers;
using System.Globalization;
using System.Text.Json;
using WebhookAdmin.Features.Events;
using WebhookAdmin.Features.Webhooks;

namespace WebhookAdmin.Features.Deliveries.Sending;

/// <summary>
/// Writes the body a receiver gets (contract, section 4): Blue's envelope plus <c>id</c>, <c>timestamp</c>,
/// <c>company</c>, <c>project</c> and <c>actor</c>. The published values are embedded verbatim. A health event has
/// no company or project (null) and adds its <c>subject</c> (contract, section 6).
/// </summary>
public static class PayloadWriter
{
    public static byte[] Write(WebhookSnapshot webhook, EventSnapshot evt)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("id", evt.Id);
            json.WriteString("event", evt.Type);
            json.WriteString("timestamp", FormatTimestamp(evt.OccurredAt));
            WriteWebhook(json, webhook);
            if (evt.Type != EventCatalog.HealthCheck)
            {
                WriteNamed(json, "company", evt.CompanyId, evt.CompanyName);
                WriteNamed(json, "project", evt.ProjectId, evt.ProjectName);
                json.WritePropertyName("actor");
                if (evt.ActorId is null) json.WriteNullValue();
                else
                {
                    json.WriteStartObject();
                    json.WriteString("id", evt.ActorId);
                    json.WriteEndObject();
                }
                WriteRaw(json, "previousValue", evt.PreviousValueJson);
                WriteRaw(json, "currentValue", evt.CurrentValueJson);
                if (evt.SubjectJson is not null) WriteRaw(json, "subject", evt.SubjectJson);
            }
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    public static string FormatTimestamp(DateTime utc) =>
        DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static void WriteWebhook(Utf8JsonWriter json, WebhookSnapshot webhook)
    {
        json.WriteStartObject("webhook");
        json.WriteString("id", webhook.Id);
        json.WriteString("uid", webhook.Uid);
        json.WriteString("url", webhook.Url);
        json.WriteString("status", webhook.Status == WebhookStatus.Healthy ? "HEALTHY" : "UNHEALTHY");
        json.WriteBoolean("enabled", webhook.Enabled);
        json.WriteStartObject("metadata");
        WriteStrings(json, "events", webhook.Events);
        WriteStrings(json, "projectIds", webhook.ProjectIds);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter json, string name, IReadOnlyList<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values) json.WriteStringValue(value);
        json.WriteEndArray();
    }

    private static void WriteNamed(Utf8JsonWriter json, string name, string? id, string? label)
    {
        json.WritePropertyName(name);
        if (id is null)
        {
            json.WriteNullValue();
            return;
        }
        json.WriteStartObject();
        json.WriteString("id", id);
        json.WriteString("name", label);
        json.WriteEndObject();
    }

    private static void WriteRaw(Utf8JsonWriter json, string name, string? rawJson)
    {
        json.WritePropertyName(name);
        if (rawJson is null) json.WriteNullValue();
        else json.WriteRawValue(rawJson, skipInputValidation: true);
    }
}
