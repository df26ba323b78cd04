using System.Text.Json;
using WebhookAdmin.Features.Webhooks;

namespace WebhookAdmin.Features.Notifications;

/// <summary>The <c>subject</c> of a health event's body (contract, section 6): the webhook as the API shows it, and why.</summary>
public sealed record HealthSubject(WebhookResponse Webhook, string? Reason, int ConsecutiveFailures, int Held)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>In English, like every reason the API gives (<c>disabledReason</c>, <c>error</c>).</summary>
    public static HealthSubject Of(HealthNotice notice, HealthFacts facts) => new(
        facts.Webhook,
        notice.Kind switch
        {
            HealthNoticeKind.Disabled => notice.Change.Reason?.English() ?? facts.Webhook.DisabledReason,
            HealthNoticeKind.Failing => facts.LastError,
            _ => $"Enabled again after a passed health check; {notice.Change.Released} held deliveries went back out.",
        },
        notice.Kind == HealthNoticeKind.Failing ? notice.Change.Streak : facts.Webhook.ConsecutiveFailures,
        facts.Held);

    public static string EventType(HealthNoticeKind kind) => kind switch
    {
        HealthNoticeKind.Failing => Events.EventCatalog.Health.Failing,
        HealthNoticeKind.Disabled => Events.EventCatalog.Health.Disabled,
        _ => Events.EventCatalog.Health.Recovered,
    };
}
