namespace WebhookAdmin.Data;

/// <summary>
/// The system clock at the precision both databases keep. PostgreSQL stores microseconds where .NET counts
/// tenths of them, so a time taken from the plain clock read back differently from how it was written: the API
/// answered a webhook's <c>createdAt</c> with seven digits on creation and six afterwards, and a due time in memory
/// was a fraction later than the stored one. Every time the app takes is already whole microseconds instead.
/// </summary>
public sealed class MicrosecondClock : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => Truncate(base.GetUtcNow());

    public static DateTimeOffset Truncate(DateTimeOffset time) => time.AddTicks(-(time.Ticks % TimeSpan.TicksPerMicrosecond));

    /// <summary>Up to the next whole microsecond: a computed due time is then never earlier than the one computed.</summary>
    public static DateTime Ceiling(DateTime time) =>
        time.Ticks % TimeSpan.TicksPerMicrosecond is var rest and > 0 ? time.AddTicks(TimeSpan.TicksPerMicrosecond - rest) : time;
}
