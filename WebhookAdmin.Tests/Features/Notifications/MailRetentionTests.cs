using Microsoft.EntityFrameworkCore;
using Quartz;
using WebhookAdmin.Data;
using WebhookAdmin.Features.Notifications;
using WebhookAdmin.Tests.Api;
using WebhookAdmin.Tests.Infrastructure;

namespace WebhookAdmin.Tests.Features.Notifications;

/// <summary>The email log ages like the deliveries it is about: sent ones after Retention:Period, given-up ones after FailedPeriod.</summary>
public sealed class MailRetentionTests() : WorldTests(WorldOptions.FakeClockNoPoll
    .With("Retention:Period", "30.00:00:00").With("Retention:FailedPeriod", "90.00:00:00"))
{
    [Fact]
    public async Task The_mail_job_deletes_sent_emails_after_the_period_and_given_up_ones_after_the_failed_period_and_keeps_pending_ones()
    {
        var now = World.Time.GetUtcNow().UtcDateTime;
        await using (var db = await App.Service<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(Test.Ct))
        {
            db.NotificationMails.AddRange(
                Mail("sent, 31 days", MailStatus.Sent, now.AddDays(-31)),
                Mail("sent, 29 days", MailStatus.Sent, now.AddDays(-29)),
                Mail("failed, 91 days", MailStatus.Failed, now.AddDays(-91)),
                Mail("failed, 89 days", MailStatus.Failed, now.AddDays(-89)),
                Mail("pending, 200 days", MailStatus.Pending, now.AddDays(-200), nextTry: now.AddDays(1)));
            await db.SaveChangesAsync(Test.Ct);
        }

        var scheduler = await App.Service<ISchedulerFactory>().GetScheduler(Test.Ct);
        await scheduler.TriggerJob(MailDeliveryJob.Key, Test.Ct);

        var left = await Eventually.ReturnsAsync(SubjectsAsync, s => s.Count == 3, "the old emails purged");
        Assert.Equal(["failed, 89 days", "pending, 200 days", "sent, 29 days"], left);
    }

    private async Task<List<string>> SubjectsAsync()
    {
        await using var db = await App.Service<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(Test.Ct);
        return await db.NotificationMails.Select(m => m.Subject).OrderBy(s => s).ToListAsync(Test.Ct);
    }

    private static NotificationMail Mail(string subject, MailStatus status, DateTime created, DateTime? nextTry = null) => new()
    {
        WebhookId = "wh_none", UserId = "user", To = "owner@example.com", Kind = HealthNoticeKind.Disabled,
        Subject = subject, Body = "…", CreatedAt = created, Status = status, NextAttemptAt = nextTry,
    };
}
