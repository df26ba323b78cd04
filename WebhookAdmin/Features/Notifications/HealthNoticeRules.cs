using WebhookAdmin.Features.Deliveries.Outbox;

namespace WebhookAdmin.Features.Notifications;

/// <summary>Which committed health changes are worth telling anyone about, and whom. Pure: tested without a host.</summary>
public static class HealthNoticeRules
{
    /// <summary>
    /// Disabled and enabled again always; a failure streak only in the commit that carried it across
    /// <paramref name="failingAfter"/> (from below to at-or-above), which makes it once per streak: the streak only
    /// starts again from zero after a success or a re-enable. A streak that crossed in the commit that also disabled
    /// the webhook says nothing: the disable says more.
    /// </summary>
    public static IEnumerable<(WebhookChange Change, HealthNoticeKind Kind)> Notable(IReadOnlyList<WebhookChange> changes, int failingAfter)
    {
        foreach (var change in changes)
        {
            switch (change.Kind)
            {
                case WebhookChangeKind.Disabled:
                    yield return (change, HealthNoticeKind.Disabled);
                    break;
                case WebhookChangeKind.Enabled:
                    yield return (change, HealthNoticeKind.Recovered);
                    break;
                case WebhookChangeKind.FailureStreak when Crossed(change, failingAfter) && !DisabledIn(changes, change.WebhookId):
                    yield return (change, HealthNoticeKind.Failing);
                    break;
            }
        }
    }

    public static bool Crossed(WebhookChange streak, int failingAfter) =>
        streak.Streak >= failingAfter && streak.Streak - streak.GrewBy < failingAfter;

    /// <summary>The owner is emailed unless they turned the webhook off themselves: they know.</summary>
    public static bool EmailsOwner(HealthNoticeKind kind, WebhookChange change, string ownerId) =>
        kind != HealthNoticeKind.Disabled || change.ByUserId != ownerId;

    /// <summary>
    /// Failed attempts left before the webhook is disabled: the delivery closest to its last allowed attempt decides
    /// (<paramref name="mostAttemptsMade"/>, its scheduled attempts); with none waiting, the streak stands in for it.
    /// </summary>
    public static int AttemptsLeft(int maxAttempts, int? mostAttemptsMade, int streak) =>
        Math.Max(1, maxAttempts - (mostAttemptsMade ?? streak));

    private static bool DisabledIn(IReadOnlyList<WebhookChange> changes, string webhookId) =>
        changes.Any(c => c.Kind == WebhookChangeKind.Disabled && c.WebhookId == webhookId);
}
