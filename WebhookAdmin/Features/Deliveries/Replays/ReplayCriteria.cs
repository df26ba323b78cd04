using WebhookAdmin.Features.Events;

namespace WebhookAdmin.Features.Deliveries.Replays;

/// <summary>Which of one webhook's deliveries a replay sends again: by status, time range, event type and project.</summary>
public sealed record ReplayCriteria(IReadOnlyList<DeliveryStatus> Statuses, DateTime Since, DateTime Until, string? EventType, string? ProjectId)
{
    /// <summary>Only finished or waiting deliveries: pending and delivering ones are on their way already.</summary>
    public static IReadOnlyList<DeliveryStatus> Replayable { get; } =
        [DeliveryStatus.Failed, DeliveryStatus.Skipped, DeliveryStatus.Held, DeliveryStatus.Delivered];

    /// <summary>Failed deliveries are kept 90 days by default: a range that covers them all, no wider.</summary>
    public static readonly TimeSpan MaxRange = TimeSpan.FromDays(92);

    /// <summary>More than this at once is a mistake more often than a wish; narrowing the range splits it.</summary>
    public const int MaxCount = 100_000;

    public string StatusNames => string.Join(",", Statuses.Select(s => s.ToName()));

    public static bool TryCreate(IReadOnlyList<string>? statuses, DateTimeOffset? since, DateTimeOffset? until, string? eventType,
        string? projectId, out ReplayCriteria criteria, out Dictionary<string, string[]> errors)
    {
        errors = [];
        var parsed = new List<DeliveryStatus>();
        var allowed = string.Join(", ", Replayable.Select(s => s.ToName()));
        if (statuses is null || statuses.Count == 0)
            errors["status"] = [$"Give at least one status: {allowed}."];
        else
            foreach (var name in statuses)
            {
                if (DeliveryStatusNames.TryParse(name, out var status) && Replayable.Contains(status))
                {
                    if (!parsed.Contains(status)) parsed.Add(status);
                }
                else errors["status"] = [$"'{name}' cannot be replayed: status is one of {allowed}."];
            }
        if (since is null) errors["since"] = ["since is required (the oldest delivery to send again)."];
        if (until is null) errors["until"] = ["until is required (the newest delivery to send again)."];
        if (since > until) errors["since"] = ["since must not be after until."];
        else if (until - since > MaxRange) errors["since"] = [$"The range is at most {MaxRange.TotalDays:0} days: move since closer to until."];
        var type = string.IsNullOrWhiteSpace(eventType) ? null : eventType.Trim();
        if (type is not null && !EventCatalog.IsSubscribable(type))
            errors["event"] = [$"'{type}' is not a known event type."];
        criteria = new ReplayCriteria(parsed, since?.UtcDateTime ?? default, until?.UtcDateTime ?? default, type,
            string.IsNullOrWhiteSpace(projectId) ? null : projectId.Trim());
        return errors.Count == 0;
    }

    public static ReplayCriteria Of(Replay replay) => new(
        replay.Statuses.Split(',').Select(n => DeliveryStatusNames.TryParse(n, out var s) ? s : throw new InvalidOperationException($"Unknown status '{n}'.")).ToList(),
        replay.Since, replay.Until, replay.EventType, replay.ProjectId);
}
