using System.Threading.Channels;
using Microsoft.Extensions.Options;
using WebhookAdmin.Features.Deliveries.Outbox;

namespace WebhookAdmin.Features.Notifications;

/// <summary>A committed health change someone should hear about, as it waits for <see cref="HealthNotifier"/>.</summary>
public sealed record HealthNotice(WebhookChange Change, HealthNoticeKind Kind, DateTime SeenAt);

/// <summary>
/// The commit observer of notifications. It runs on the writer's thread right after the outbox committed, so it
/// only picks the notable changes and queues them: no database, no SMTP, nothing that could slow a delivery down
/// or fail it. <see cref="HealthNotifier"/> does the rest.
/// </summary>
public sealed class HealthNotices(IOptions<NotificationOptions> options, TimeProvider time) : ICommitObserver
{
    private readonly Channel<HealthNotice> _notices = Channel.CreateUnbounded<HealthNotice>(new UnboundedChannelOptions { SingleReader = true });

    public ChannelReader<HealthNotice> Reader => _notices.Reader;

    public void Committed(CommittedChanges changes)
    {
        if (changes.WebhookChanges.Count == 0) return;
        var now = time.GetUtcNow().UtcDateTime;
        foreach (var (change, kind) in HealthNoticeRules.Notable(changes.WebhookChanges, options.Value.FailingAfter))
            _notices.Writer.TryWrite(new HealthNotice(change, kind, now));
    }

    public void Complete() => _notices.Writer.TryComplete();
}
