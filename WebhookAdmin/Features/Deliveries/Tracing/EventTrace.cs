using System.Diagnostics;
using System.Globalization;
using WebhookAdmin.Features.Deliveries.Sending;

namespace WebhookAdmin.Features.Deliveries.Tracing;

/// <summary>
/// The trace of an event, from the request that published it to each attempt: an activity for the ingestion
/// request, one per event stored (its <c>traceparent</c> is stored with the event), and one per attempt, a child of
/// its event's, however much later it is made and by whichever process. Nothing is created while nobody listens
/// (no OTLP endpoint, no test listener): <see cref="ActivitySource.HasListeners"/> is checked first, so the hot
/// path pays one branch. Here in the engine because the engine carries the context with the event; ingestion
/// (Events) calls it, as it calls the rest of Deliveries.
/// </summary>
public static class EventTrace
{
    public const string SourceName = "WebhookAdmin";

    public const string IngestionName = "webhookadmin.ingest";
    public const string EventName = "webhookadmin.event";
    public const string AttemptName = "webhookadmin.attempt";

    /// <summary>The tags every activity carries, named like OpenTelemetry's attributes (lowercase, dotted).</summary>
    public static class Tags
    {
        public const string EventId = "webhookadmin.event.id";
        public const string EventType = "webhookadmin.event.type";
        public const string ProjectId = "webhookadmin.project.id";
        public const string EventCount = "webhookadmin.event.count";
        public const string Accepted = "webhookadmin.event.accepted";
        public const string DeliveryId = "webhookadmin.delivery.id";
        public const string WebhookId = "webhookadmin.webhook.id";
        public const string AttemptNumber = "webhookadmin.attempt.number";
        public const string AttemptKind = "webhookadmin.attempt.kind";
        public const string Outcome = "webhookadmin.attempt.outcome";
        public const string StatusCode = "http.response.status_code";
    }

    public static readonly ActivitySource Source = new(SourceName, typeof(EventTrace).Assembly.GetName().Version?.ToString(3));

    /// <summary>One publish request (single or batch); the events it stores are its children.</summary>
    public static Activity? StartIngestion(int count)
    {
        if (!Source.HasListeners()) return null;
        var activity = Source.StartActivity(IngestionName);
        activity?.SetTag(Tags.EventCount, count);
        return activity;
    }

    /// <summary>What the request came to: the id of a single event, how many of its events were new.</summary>
    public static void Ingested(Activity? ingestion, string? singleEventId, int accepted)
    {
        if (ingestion is null) return;
        if (singleEventId is not null) ingestion.SetTag(Tags.EventId, singleEventId);
        ingestion.SetTag(Tags.Accepted, accepted);
    }

    /// <summary>
    /// An event about to be stored, a child of the current activity (the ingestion request, or the request that asked
    /// for a test send). Siblings, not a chain: the current activity is left as it was.
    /// </summary>
    public static Activity? StartEvent(string eventId, string type, string? projectId)
    {
        if (!Source.HasListeners()) return null;
        var current = Activity.Current;
        var activity = Source.StartActivity(EventName);
        Activity.Current = current;
        if (activity is null) return null;
        activity.SetTag(Tags.EventId, eventId);
        activity.SetTag(Tags.EventType, type);
        if (projectId is not null) activity.SetTag(Tags.ProjectId, projectId);
        return activity;
    }

    /// <summary>
    /// The context an event's attempts continue, as stored with it; W3C only (what every exporter reads back). Kept
    /// for an unsampled event too, so its attempts follow the same sampling decision.
    /// </summary>
    public static string? TraceParentOf(Activity? activity) =>
        activity is { IdFormat: ActivityIdFormat.W3C } ? activity.Id : null;

    /// <summary>Ends the events' activities once their commit is known: stored, or to be planned again (a repeat met).</summary>
    public static void EndEvents(List<Activity>? events, bool stored)
    {
        if (events is null) return;
        foreach (var activity in events)
        {
            if (!stored) activity.SetStatus(ActivityStatusCode.Error, "planned again: a repeated id or a vanished webhook");
            activity.Stop();
        }
        events.Clear();
    }

    /// <summary>
    /// One attempt, in its event's trace (from the stored <c>traceparent</c>), or a trace of its own when the event
    /// was stored untraced. A resend also links to the request that asked for it.
    /// </summary>
    public static Activity? StartAttempt(DeliveryWork work)
    {
        if (!Source.HasListeners()) return null;
        var requester = work.Kind == AttemptKind.Resend ? Activity.Current : null;
        var parent = default(ActivityContext);
        if (work.Event.TraceParent is { } stored) ActivityContext.TryParse(stored, null, isRemote: true, out parent);
        // An untraced event's attempt starts a trace of its own, not a child of whatever ran before it on this flow.
        if (parent == default) Activity.Current = null;
        ActivityLink[]? links = requester is null ? null : [new ActivityLink(requester.Context)];
        var activity = Source.StartActivity(AttemptName, ActivityKind.Client, parent, links: links);
        if (activity is null) return null;
        activity.SetTag(Tags.EventId, work.Event.Id);
        activity.SetTag(Tags.EventType, work.Event.Type);
        activity.SetTag(Tags.DeliveryId, work.DeliveryId);
        activity.SetTag(Tags.WebhookId, work.Webhook.Id);
        activity.SetTag(Tags.AttemptNumber, work.AttemptNumber);
        activity.SetTag(Tags.AttemptKind, KindName(work.Kind));
        return activity;
    }

    /// <summary>The attempt's outcome, in the words of the metrics (<c>delivered</c>, <c>failed</c>).</summary>
    public static void EndAttempt(Activity? attempt, AttemptResult result)
    {
        if (attempt is null) return;
        attempt.SetTag(Tags.Outcome, result.Succeeded ? "delivered" : "failed");
        if (result.StatusCode is { } code) attempt.SetTag(Tags.StatusCode, code);
        if (!result.Succeeded) attempt.SetStatus(ActivityStatusCode.Error, result.ErrorText);
        attempt.Stop();
    }

    private static string KindName(AttemptKind kind) => kind switch
    {
        AttemptKind.Scheduled => "scheduled",
        AttemptKind.Resend => "resend",
        AttemptKind.Test => "test",
        AttemptKind.HealthCheck => "health_check",
        _ => ((int)kind).ToString(CultureInfo.InvariantCulture),
    };
}
