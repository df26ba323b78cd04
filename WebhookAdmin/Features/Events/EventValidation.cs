using System.Text.Json;
using WebhookAdmin.Data;

namespace WebhookAdmin.Features.Events;

/// <summary>Checks a published event field by field; messages name the field and say what would be right.</summary>
public static class EventValidation
{
    public const int MaxValueBytes = 256 * 1024;

    public static void Validate(PublishEventRequest request, string prefix, Dictionary<string, string[]> errors)
    {
        void Error(string field, string message) => errors[prefix + field] = [message];

        if (request.Id is not null && EventIds.Problem(request.Id) is { } idProblem)
            Error("id", idProblem);

        if (string.IsNullOrWhiteSpace(request.Event))
            Error("event", "The event type is required, for example TODO_CREATED.");
        else if (request.Event == EventCatalog.HealthCheck)
            Error("event", "WEBHOOK_HEALTH_CHECK is sent by WebhookAdmin itself and cannot be published.");
        else if (EventCatalog.IsHealth(request.Event))
            Error("event", $"{request.Event} is raised by WebhookAdmin itself about webhooks' health and cannot be published.");
        else if (!EventCatalog.IsSubscribable(request.Event))
            Error("event", $"'{Truncate(request.Event)}' is not a known event type; GET /api/v1/event-types lists them.");

        if (string.IsNullOrWhiteSpace(request.ProjectId))
            Error("projectId", "The project id is required.");
        else if (request.ProjectId.Length > Limits.ExternalId)
            Error("projectId", $"The project id must be at most {Limits.ExternalId} characters.");

        if (request.ActorId is { Length: > Limits.ExternalId })
            Error("actorId", $"The actor id must be at most {Limits.ExternalId} characters.");

        CheckValue(request.PreviousValue, "previousValue", Error);
        CheckValue(request.CurrentValue, "currentValue", Error);
    }

    private static void CheckValue(JsonElement? value, string field, Action<string, string> error)
    {
        if (value is not { } element || element.ValueKind == JsonValueKind.Null) return;
        if (element.GetRawText().Length > MaxValueBytes)
            error(field, $"The value is larger than {MaxValueBytes / 1024} KiB; send an id and let the receiver fetch the rest.");
        else if (!IsReadableText(element))
            error(field, "The value holds text that is not Unicode (an unpaired surrogate escape such as \\ud800), which receivers cannot read.");
    }

    /// <summary>
    /// A free-form value is kept as raw JSON, so an unpaired <c>\ud800</c> in it got past System.Text.Json, which only
    /// unescapes strings it is asked for: accepted here, it failed every later reading (the delivery's payload answered 500).
    /// </summary>
    private static bool IsReadableText(JsonElement element)
    {
        try
        {
            Unescape(element);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static void Unescape(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                _ = element.GetString();
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray()) Unescape(item);
                break;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    _ = property.Name;
                    Unescape(property.Value);
                }
                break;
        }
    }

    private static string Truncate(string value) => value.Length <= 60 ? value : value[..60] + "…";
}
