using WebhookAdmin.Features.Events;

namespace WebhookAdmin.Features.Deliveries.Pages;

/// <summary>How far back the log looks; the URL carries the short key (<c>range=24h</c>).</summary>
public enum LogRange { Any, Hour, Day, Week, Month }

/// <summary>
/// The delivery log's filters as the address bar holds them, so a link such as
/// <c>/deliveries?status=held&amp;webhook=…</c> opens the log pre-filtered and every filter change is a link
/// worth sharing. Values the log does not know (a mistyped status) are dropped rather than shown as an error.
/// </summary>
public sealed record LogFilter(
    string? Webhook = null, string? Event = null, string? Project = null, string? Status = null,
    LogRange Range = LogRange.Any, string? EventId = null)
{
    public static readonly IReadOnlyDictionary<LogRange, string> RangeKeys = new Dictionary<LogRange, string>
    {
        [LogRange.Hour] = "1h", [LogRange.Day] = "24h", [LogRange.Week] = "7d", [LogRange.Month] = "30d",
    };

    public static LogFilter FromQuery(string? webhook, string? eventType, string? project, string? status, string? range, string? eventId) => new(
        Webhook: Clean(webhook),
        Event: Clean(eventType) is { } type && (EventCatalog.IsSubscribable(type) || type == EventCatalog.HealthCheck) ? type : null,
        Project: Clean(project),
        Status: DeliveryStatusNames.TryParse(Clean(status), out var parsed) ? parsed.ToName() : null,
        Range: RangeKeys.FirstOrDefault(k => k.Value == Clean(range)).Key,
        EventId: Clean(eventId));

    /// <summary>Query-string parameters (a null removes one), for <c>NavigationManager.GetUriWithQueryParameters</c>.</summary>
    public IReadOnlyDictionary<string, object?> ToQuery() => new Dictionary<string, object?>
    {
        ["webhook"] = Clean(Webhook),
        ["event"] = Clean(Event),
        ["project"] = Clean(Project),
        ["status"] = Clean(Status),
        ["range"] = RangeKeys.GetValueOrDefault(Range),
        ["eventId"] = Clean(EventId),
    };

    public bool IsEmpty => this == new LogFilter();

    /// <summary>What the query service understands; the range becomes a "since" relative to <paramref name="now"/>.</summary>
    public DeliveryFilter ToDeliveryFilter(DateTime now)
    {
        DeliveryStatus? status = DeliveryStatusNames.TryParse(Status, out var s) ? s : null;
        return new DeliveryFilter(Webhook, status, Event, Project, Since(now), null, EventId);
    }

    /// <summary>The range in whole days, for the replay dialog (which goes back at most 90 days; "any time" is that).</summary>
    public static int DaysOf(LogRange range) => range switch
    {
        LogRange.Hour or LogRange.Day => 1,
        LogRange.Week => 7,
        LogRange.Month => 30,
        _ => 90,
    };

    private DateTime? Since(DateTime now) => Range switch
    {
        LogRange.Hour => now.AddHours(-1),
        LogRange.Day => now.AddDays(-1),
        LogRange.Week => now.AddDays(-7),
        LogRange.Month => now.AddDays(-30),
        _ => null,
    };

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
