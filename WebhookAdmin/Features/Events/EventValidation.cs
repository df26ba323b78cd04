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
    }

    private static string Truncate(string value) => value.Length <= 60 ? value : value[..60] + "…";
}
