namespace WebhookAdmin.Features.Events;

public sealed record EventType(string Name, string Group, string Description);

/// <summary>
/// Blue's 37 subscribable event types, grouped as Blue groups them, the three health events WebhookAdmin raises
/// itself about webhooks (contract, section 6), plus the delivery-only <c>WEBHOOK_HEALTH_CHECK</c>. Blue's names are
/// Blue's exactly.
/// </summary>
public static class EventCatalog
{
    public const string HealthCheck = "WEBHOOK_HEALTH_CHECK";

    public static class Groups
    {
        public const string Records = "Records";
        public const string Checklists = "Checklists";
        public const string Lists = "Lists";
        public const string CustomFields = "Custom fields";
        public const string Tags = "Tags";
        public const string Comments = "Comments";
        public const string WebhookHealth = "Webhook health";
    }

    /// <summary>Raised by WebhookAdmin about a webhook's health; subscribed like any event, never published from outside.</summary>
    public static class Health
    {
        public const string Failing = "WEBHOOK_FAILING";
        public const string Disabled = "WEBHOOK_DISABLED";
        public const string Recovered = "WEBHOOK_RECOVERED";
    }

    public static IReadOnlyList<EventType> Subscribable { get; } =
    [
        new("TODO_CREATED", Groups.Records, "A record was created."),
        new("TODO_DELETED", Groups.Records, "A record was deleted."),
        new("TODO_MOVED", Groups.Records, "A record moved to another list."),
        new("TODO_NAME_CHANGED", Groups.Records, "A record's title changed."),
        new("TODO_DONE_STATUS_UPDATED", Groups.Records, "A record was marked done or undone."),
        new("TODO_DUE_DATE_ADDED", Groups.Records, "A due date was added to a record."),
        new("TODO_DUE_DATE_UPDATED", Groups.Records, "A record's due date changed."),
        new("TODO_DUE_DATE_REMOVED", Groups.Records, "A record's due date was removed."),
        new("TODO_ASSIGNEE_ADDED", Groups.Records, "An assignee was added to a record."),
        new("TODO_ASSIGNEE_REMOVED", Groups.Records, "An assignee was removed from a record."),
        new("TODO_TAG_ADDED", Groups.Records, "A tag was added to a record."),
        new("TODO_TAG_REMOVED", Groups.Records, "A tag was removed from a record."),
        new("TODO_CUSTOM_FIELD_UPDATED", Groups.Records, "A custom-field value changed on a record."),

        new("TODO_CHECKLIST_CREATED", Groups.Checklists, "A checklist was created on a record."),
        new("TODO_CHECKLIST_NAME_CHANGED", Groups.Checklists, "A checklist was renamed."),
        new("TODO_CHECKLIST_DELETED", Groups.Checklists, "A checklist was deleted."),
        new("TODO_CHECKLIST_ITEM_CREATED", Groups.Checklists, "A checklist item was created."),
        new("TODO_CHECKLIST_ITEM_NAME_CHANGED", Groups.Checklists, "A checklist item was renamed."),
        new("TODO_CHECKLIST_ITEM_DELETED", Groups.Checklists, "A checklist item was deleted."),
        new("TODO_CHECKLIST_ITEM_DUE_DATE_ADDED", Groups.Checklists, "A due date was added to a checklist item."),
        new("TODO_CHECKLIST_ITEM_DUE_DATE_UPDATED", Groups.Checklists, "A checklist item's due date changed."),
        new("TODO_CHECKLIST_ITEM_DUE_DATE_REMOVED", Groups.Checklists, "A checklist item's due date was removed."),
        new("TODO_CHECKLIST_ITEM_ASSIGNEE_ADDED", Groups.Checklists, "An assignee was added to a checklist item."),
        new("TODO_CHECKLIST_ITEM_ASSIGNEE_REMOVED", Groups.Checklists, "An assignee was removed from a checklist item."),
        new("TODO_CHECKLIST_ITEM_DONE_STATUS_UPDATED", Groups.Checklists, "A checklist item was marked done or undone."),

        new("TODO_LIST_CREATED", Groups.Lists, "A list was created in a project."),
        new("TODO_LIST_DELETED", Groups.Lists, "A list was deleted."),
        new("TODO_LIST_NAME_CHANGED", Groups.Lists, "A list was renamed."),

        new("CUSTOM_FIELD_CREATED", Groups.CustomFields, "A custom field was created."),
        new("CUSTOM_FIELD_DELETED", Groups.CustomFields, "A custom field was deleted."),
        new("CUSTOM_FIELD_UPDATED", Groups.CustomFields, "A custom field definition was updated."),

        new("TAG_CREATED", Groups.Tags, "A tag was created."),
        new("TAG_DELETED", Groups.Tags, "A tag was deleted."),
        new("TAG_UPDATED", Groups.Tags, "A tag was updated."),

        new("COMMENT_CREATED", Groups.Comments, "A comment was created."),
        new("COMMENT_DELETED", Groups.Comments, "A comment was deleted."),
        new("COMMENT_UPDATED", Groups.Comments, "A comment was updated."),

        new(Health.Failing, Groups.WebhookHealth, "Another webhook of the owner keeps failing and will soon be disabled."),
        new(Health.Disabled, Groups.WebhookHealth, "Another webhook of the owner was disabled; its deliveries are held."),
        new(Health.Recovered, Groups.WebhookHealth, "Another webhook of the owner was enabled again; its held deliveries go out."),
    ];

    public static IReadOnlyList<string> GroupNames { get; } =
        Subscribable.Select(e => e.Group).Distinct().ToArray();

    private static readonly Dictionary<string, EventType> ByName =
        Subscribable.ToDictionary(e => e.Name, StringComparer.Ordinal);

    public static bool IsSubscribable(string name) => ByName.ContainsKey(name);

    /// <summary>One of the health events: no project, and only WebhookAdmin itself raises them.</summary>
    public static bool IsHealth(string name) => name is Health.Failing or Health.Disabled or Health.Recovered;

    public static EventType? Find(string name) => ByName.GetValueOrDefault(name);
}
