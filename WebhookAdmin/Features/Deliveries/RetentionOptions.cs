namespace WebhookAdmin.Features.Deliveries;

/// <summary>The <c>Retention</c> configuration section (contract, sections 1 and 6).</summary>
public sealed class RetentionOptions
{
    public const string Section = "Retention";

    /// <summary>
    /// Delivered and skipped deliveries (with their attempts), and events left with no delivery, are deleted once
    /// their last activity (last attempt, else creation) is older than this.
    /// </summary>
    public TimeSpan Period { get; set; } = TimeSpan.FromDays(30);

    /// <summary>The same for failed deliveries, kept longer because someone may still be looking into them.</summary>
    public TimeSpan FailedPeriod { get; set; } = TimeSpan.FromDays(90);

    /// <summary>How often the purge runs.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(10);
}
