namespace WebhookAdmin.Features.Deliveries.Outbox;

/// <summary>The moments before which finished deliveries have expired: one for delivered and skipped, one for failed.</summary>
public sealed record RetentionCutoffs(DateTime Finished, DateTime Failed)
{
    public static RetentionCutoffs At(DateTime now, RetentionOptions options) =>
        new(Before(now, options.Period), Before(now, options.FailedPeriod));

    /// <summary>A period longer than the calendar goes back keeps everything rather than overflowing.</summary>
    private static DateTime Before(DateTime now, TimeSpan period) =>
        now - DateTime.MinValue <= period ? DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Utc) : now - period;
}

/// <summary>A webhook revision as the purge sees it: when it was written and when the next one replaced it.</summary>
public sealed record RevisionAge(string WebhookId, int Revision, DateTime? SupersededAt);

/// <summary>
/// What retention deletes, as pure decisions (the statements are in <see cref="RetentionSql"/>, the pacing in
/// <see cref="PurgePace"/>). A delivery's age is its last activity: its last attempt, else its creation. So a
/// delivery that was retried for hours, or sent again by hand last week, is kept for a whole period after that,
/// while the person who looked at it may still come back to it.
/// </summary>
public static class RetentionRules
{
    /// <summary>The only statuses retention ever deletes.</summary>
    public static IReadOnlyList<DeliveryStatus> Finished { get; } = [DeliveryStatus.Delivered, DeliveryStatus.Skipped, DeliveryStatus.Failed];

    /// <summary>
    /// How long after a revision was replaced an attempt may still be recorded with it: the sender took its webhook
    /// snapshot before the change and may still be waiting in a lane or for the receiver (at most a lease).
    /// </summary>
    public static TimeSpan InFlightMargin(TimeSpan lease) => lease > TimeSpan.FromMinutes(30) ? lease * 2 : TimeSpan.FromHours(1);

    /// <summary>
    /// Whether a finished delivery has expired. Pending, held and in-flight ones never expire here: they are waiting
    /// for their webhook (a deleted webhook's are skipped at once, and then expire as skipped). A failed delivery
    /// that failed into its webhook's disable is sent again when the webhook is enabled with replay, so while
    /// that webhook exists it is kept like a held one.
    /// </summary>
    public static bool Expired(DeliveryStatus status, DateTime lastActivity, bool awaitsReplayOfLiveWebhook, RetentionCutoffs cutoffs) => status switch
    {
        DeliveryStatus.Delivered or DeliveryStatus.Skipped => lastActivity < cutoffs.Finished,
        DeliveryStatus.Failed => !awaitsReplayOfLiveWebhook && lastActivity < cutoffs.Failed,
        _ => false,
    };

    /// <summary>
    /// Revisions no remaining attempt can point at, never a webhook's current one. An attempt records the revision
    /// that was current when it was sent, so every attempt pointing at a revision started before that revision was
    /// replaced (plus what was in flight then). When the webhook's oldest remaining attempt started later than that,
    /// or it has none left, nothing points at the revision any more. Revisions are read without the write gate, so
    /// the same margin also covers an attempt recorded between that read and the delete.
    /// </summary>
    public static IEnumerable<RevisionAge> UnreferencedRevisions(
        IEnumerable<RevisionAge> revisions, IReadOnlyDictionary<string, DateTime> oldestAttemptByWebhook, DateTime now, TimeSpan inFlight) =>
        revisions.Where(r => r.SupersededAt is { } replaced
                             && replaced + inFlight < (oldestAttemptByWebhook.TryGetValue(r.WebhookId, out var oldest) ? Min(oldest, now) : now));

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;
}
