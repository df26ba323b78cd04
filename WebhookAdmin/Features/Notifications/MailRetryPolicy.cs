namespace WebhookAdmin.Features.Notifications;

/// <summary>When a failed email is tried again, or that it is given up. Pure: the delays come from <c>Notifications:RetryDelays</c>.</summary>
public sealed class MailRetryPolicy(IReadOnlyList<TimeSpan> delays)
{
    /// <summary>After <paramref name="triesMade"/> failed tries (this one included): the next try's time, or null to give up.</summary>
    public DateTime? NextTry(int triesMade, DateTime now) =>
        triesMade >= 1 && triesMade <= delays.Count ? now + delays[triesMade - 1] : null;

    /// <summary>Tries in all before an email is given up.</summary>
    public int MaxTries => delays.Count + 1;
}
