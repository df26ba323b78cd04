using WebhookAdmin.Features.Deliveries.Reasons;

namespace WebhookAdmin.Features.Deliveries.Sending;

/// <summary>What one HTTP attempt produced, ready to be stored as a <see cref="DeliveryAttempt"/>.</summary>
public sealed record AttemptResult(
    DateTime StartedAt,
    double DurationMs,
    int? StatusCode,
    bool Succeeded,
    PlainReason? Error,
    string RequestHeaders,
    string? ResponseHeaders,
    string? ResponseBody,
    TimeSpan? RetryAfter)
{
    /// <summary>The error as the API says it ("connection refused").</summary>
    public string? ErrorText => Error?.English();

    /// <summary><c>410 Gone</c>: the receiver says the endpoint no longer exists; the webhook is disabled at once.</summary>
    public bool Gone => StatusCode == 410;
}
