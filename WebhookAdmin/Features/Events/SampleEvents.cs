using System.Text.Json;
using System.Text.Json.Nodes;

namespace WebhookAdmin.Features.Events;

/// <summary>
/// Plausible previous and current values for each event type, for "send test event" and the simulator.
/// Create events have no previous value, delete events no current value, as in Blue.
/// </summary>
public static class SampleEvents
{
    public static (JsonObject? Previous, JsonObject? Current) For(string eventType)
    {
        var entity = Entity(eventType);
        var current = (JsonObject)entity.DeepClone();
        var previous = (JsonObject)entity.DeepClone();
        Change(eventType, previous, current);

        if (eventType.EndsWith("_CREATED", StringComparison.Ordinal)) return (null, current);
        if (eventType.EndsWith("_DELETED", StringComparison.Ordinal)) return (previous, null);
        return (previous, current);
    }

    public static (string? Previous, string? Current) JsonFor(string eventType)
    {
        var (previous, current) = For(eventType);
        return (previous?.ToJsonString(), current?.ToJsonString());
    }

    private static JsonObject Entity(string eventType) => EventCatalog.Find(eventType)?.Group switch
    {
        EventCatalog.Groups.Checklists when eventType.Contains("_ITEM_", StringComparison.Ordinal) =>
            new() { ["id"] = "checklist_item_1", ["title"] = "Send the contract", ["done"] = false, ["checklistId"] = "checklist_1", ["todoId"] = "todo_123" },
        EventCatalog.Groups.Checklists => new() { ["id"] = "checklist_1", ["title"] = "Launch steps", ["todoId"] = "todo_123" },
        EventCatalog.Groups.Lists => new() { ["id"] = "list_1", ["title"] = "In progress", ["position"] = 2 },
        EventCatalog.Groups.CustomFields => new() { ["id"] = "cf_1", ["name"] = "Budget", ["type"] = "CURRENCY" },
        EventCatalog.Groups.Tags => new() { ["id"] = "tag_1", ["title"] = "Urgent", ["color"] = "#e53935" },
        EventCatalog.Groups.Comments => new() { ["id"] = "comment_1", ["text"] = "Looks good to me.", ["todoId"] = "todo_123" },
        _ => new()
        {
            ["id"] = "todo_123", ["title"] = "Draft proposal", ["done"] = false, ["listId"] = "list_1",
            ["duedAt"] = null, ["assignees"] = new JsonArray(), ["tags"] = new JsonArray(),
        },
    };

    private static void Change(string eventType, JsonObject previous, JsonObject current)
    {
        switch (eventType)
        {
            case var t when t.EndsWith("DONE_STATUS_UPDATED", StringComparison.Ordinal):
                current["done"] = true;
                break;
            case var t when t.EndsWith("NAME_CHANGED", StringComparison.Ordinal) || t.EndsWith("_UPDATED", StringComparison.Ordinal):
                if (current.ContainsKey("title")) current["title"] = current["title"] + " (edited)";
                else if (current.ContainsKey("name")) current["name"] = current["name"] + " (edited)";
                else if (current.ContainsKey("text")) current["text"] = current["text"] + " (edited)";
                break;
            case "TODO_MOVED":
                current["listId"] = "list_2";
                break;
            case var t when t.Contains("DUE_DATE", StringComparison.Ordinal):
                previous["duedAt"] = t.EndsWith("ADDED", StringComparison.Ordinal) ? null : "2026-12-01T17:00:00.000Z";
                current["duedAt"] = t.EndsWith("REMOVED", StringComparison.Ordinal) ? null : "2026-12-08T17:00:00.000Z";
                break;
            case var t when t.Contains("ASSIGNEE", StringComparison.Ordinal):
                var assignee = new JsonObject { ["id"] = "user_42", ["fullName"] = "Ana Souza" };
                (t.EndsWith("ADDED", StringComparison.Ordinal) ? current : previous)["assignees"] = new JsonArray(assignee);
                break;
            case var t when t.Contains("TAG_", StringComparison.Ordinal) && t.StartsWith("TODO_", StringComparison.Ordinal):
                var tag = new JsonObject { ["id"] = "tag_1", ["title"] = "Urgent" };
                (t.EndsWith("ADDED", StringComparison.Ordinal) ? current : previous)["tags"] = new JsonArray(tag);
                break;
            case "TODO_CUSTOM_FIELD_UPDATED":
                previous["customField"] = new JsonObject { ["id"] = "cf_1", ["name"] = "Budget", ["value"] = 1000 };
                current["customField"] = new JsonObject { ["id"] = "cf_1", ["name"] = "Budget", ["value"] = 1500 };
                break;
        }
    }

    public static JsonElement? ToElement(JsonObject? value) =>
        value is null ? null : JsonSerializer.SerializeToElement(value);
}
