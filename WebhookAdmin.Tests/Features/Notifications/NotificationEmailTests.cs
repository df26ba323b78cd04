using System.Net;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using WebhookAdmin.Data;
using WebhookAdmin.Features.Accounts;
using WebhookAdmin.Features.Notifications;
using WebhookAdmin.Tests.Api;
using WebhookAdmin.Tests.Infrastructure;
using static WebhookAdmin.Tests.Infrastructure.DeliveryWorld;

namespace WebhookAdmin.Tests.Features.Notifications;

/// <summary>
/// The operator's story of issue 9: a failing receiver warns its owner, then its disable is emailed with a working
/// link, and the re-enable brings a "works again" email; all through a real SMTP server on loopback.
/// </summary>
public sealed class NotificationEmailTests() : WorldTests(options: null)
{
    private const string PublicUrl = "https://hooks.example.test";
    private TestSmtpServer _smtp = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _smtp = await TestSmtpServer.StartAsync();
        await StartWorldAsync(_smtp.Into(WorldOptions.FakeClockNoPoll)
            .With("Delivery:MaxAttempts", "3")
            .With("Notifications:FailingAfter", "2")
            .With("App:PublicUrl", PublicUrl));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await _smtp.DisposeAsync();
    }

    [Fact]
    public async Task A_failing_receiver_warns_its_owner_then_reports_the_disable_then_that_it_works_again()
    {
        Receiver.Respond(ReceiverAnswer.Fail(500));
        var (webhookId, _) = await World.CreateWebhookAsync(Receiver.UrlFor());
        var link = $"{PublicUrl}/webhooks/{webhookId}";
        var id = (await World.DeliveryAsync(webhookId, await World.PublishAsync())).GetProperty("id").GetInt64();

        var first = await World.WaitForAttemptsAsync(id, 1);
        Assert.Empty(_smtp.Messages);
        World.AdvanceTo(Date(first, "nextAttemptAt"));
        await World.WaitForAttemptsAsync(id, 2);
        var warning = (await _smtp.WaitForAsync(1))[0];
        AssertTo(warning, TestApp.AdminEmail);
        Assert.Equal($"Webhook “{Receiver.UrlFor()}” is failing", warning.Subject);
        Assert.Contains("has failed 2 times in a row", warning.TextBody, StringComparison.Ordinal);
        Assert.Contains("Last error: the receiver answered 500", warning.TextBody, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("disabled after 1 more failed attempts", warning.TextBody, StringComparison.Ordinal);
        Assert.Contains(link, warning.TextBody, StringComparison.Ordinal);

        var second = await World.DeliveryAsync(id);
        World.AdvanceTo(Date(second, "nextAttemptAt"));
        await World.WaitForStatusAsync(id, "failed");
        var disabled = (await _smtp.WaitForAsync(2))[1];
        AssertTo(disabled, TestApp.AdminEmail);
        Assert.Equal($"Webhook “{Receiver.UrlFor()}” was disabled", disabled.Subject);
        Assert.Contains("failed 3 times in a row", disabled.TextBody, StringComparison.Ordinal);
        var health = await Admin.GetOk($"/api/v1/webhooks/{webhookId}/health");
        Assert.Contains($"{health.GetProperty("held").GetInt32()} deliveries are held", disabled.TextBody, StringComparison.Ordinal);
        Assert.Contains(link, disabled.TextBody, StringComparison.Ordinal);
        await AssertThePageExistsAsync(link);

        Receiver.Respond(ReceiverAnswer.Ok);
        await Admin.PostOk($"/api/v1/webhooks/{webhookId}/enable", new { replayHeld = true });
        var recovered = (await _smtp.WaitForAsync(3))[2];
        AssertTo(recovered, TestApp.AdminEmail);
        Assert.Equal($"Webhook “{Receiver.UrlFor()}” works again", recovered.Subject);
        Assert.Contains("1 held deliveries went back out", recovered.TextBody, StringComparison.Ordinal);
        Assert.Contains(link, recovered.TextBody, StringComparison.Ordinal);
        await World.WaitForStatusAsync(id, "delivered");
        Assert.Equal(3, _smtp.Messages.Count);
    }

    [Fact]
    public async Task A_disable_by_another_administrator_is_emailed_in_the_owner_s_language()
    {
        var (webhookId, _) = await World.CreateWebhookAsync(Receiver.UrlFor());
        await App.Service<PersonalSettings>().SetLanguageAsync(await App.UserIdAsync(TestApp.AdminEmail), "pt-BR", TestContext.Current.CancellationToken);
        using var colleague = App.Api(await AdministratorTokenAsync("colleague@test.local"));

        await colleague.PostOk($"/api/v1/webhooks/{webhookId}/disable", null);

        var mail = (await _smtp.WaitForAsync(1))[0];
        AssertTo(mail, TestApp.AdminEmail);
        Assert.Equal($"O webhook “{Receiver.UrlFor()}” foi desligado", mail.Subject);
        Assert.Contains("Desligado por colleague@test.local", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains($"{PublicUrl}/webhooks/{webhookId}", mail.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_owner_who_turned_the_emails_off_gets_none_and_one_s_own_disable_sends_none()
    {
        var (mine, _) = await World.CreateWebhookAsync(Receiver.UrlFor("/mine"));
        var (muted, _) = await World.CreateWebhookAsync(Receiver.UrlFor("/muted"));
        var (listener, _) = await World.CreateWebhookAsync(Receiver.UrlFor("/listener"), "WEBHOOK_DISABLED");
        using var colleague = App.Api(await AdministratorTokenAsync("colleague@test.local"));

        // By the owner: they know, no email.
        await Admin.PostOk($"/api/v1/webhooks/{mine}/disable", null);
        // By someone else, but the owner has turned the emails off.
        await App.Service<PersonalSettings>().SetEmailsOnAsync(await App.UserIdAsync(TestApp.AdminEmail), on: false, TestContext.Current.CancellationToken);
        await colleague.PostOk($"/api/v1/webhooks/{muted}/disable", null);

        // The health events come after each email decision: once both are out, there is nothing more to wait for.
        await Eventually.ReturnsAsync(() => World.DeliveriesAsync(listener), d => d.Count >= 2, "both health events to reach the listener");
        Assert.Equal(0, await MailRowsAsync());
        Assert.Empty(_smtp.Messages);
    }

    [Fact]
    public async Task An_smtp_server_that_refuses_is_retried_and_its_error_is_shown_to_administrators()
    {
        _smtp.RefuseNext(1);
        var (webhookId, _) = await World.CreateWebhookAsync(Receiver.UrlFor());
        using var colleague = App.Api(await AdministratorTokenAsync("colleague@test.local"));

        await colleague.PostOk($"/api/v1/webhooks/{webhookId}/disable", null);

        var refused = await Eventually.ReturnsAsync(() => LatestMailAsync(), m => m?.Attempts == 1, "the first try to be refused");
        Assert.Equal(MailStatus.Pending, refused!.Status);
        Assert.Contains("try again later", refused.LastError, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(_smtp.Messages);

        World.AdvanceTo(refused.NextAttemptAt!.Value);
        await App.Service<MailSignal>().WakeAsync();
        var mail = (await _smtp.WaitForAsync(1))[0];
        Assert.Equal($"Webhook “{Receiver.UrlFor()}” was disabled", mail.Subject);
        var sent = await Eventually.ReturnsAsync(() => LatestMailAsync(), m => m?.Status == MailStatus.Sent, "the email to be recorded as sent");
        Assert.Equal(2, sent!.Attempts);
        var (rows, _) = await App.Service<MailLog>().PageAsync(0, 20, TestContext.Current.CancellationToken);
        Assert.Equal(MailStatus.Sent, Assert.Single(rows).Status);
    }

    private static void AssertTo(MimeMessage mail, string email) =>
        Assert.Equal(email, Assert.Single(mail.To.Mailboxes).Address);

    /// <summary>The link's path is a page of the app: signed out, it asks to sign in and come back (never "not found").</summary>
    private async Task AssertThePageExistsAsync(string link)
    {
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = App.BaseAddress };
        using var answer = await browser.GetAsync(new Uri(link).PathAndQuery);
        Assert.NotEqual(HttpStatusCode.NotFound, answer.StatusCode);
        Assert.True(answer.IsSuccessStatusCode || answer.StatusCode == HttpStatusCode.Redirect, $"{link} answered {answer.StatusCode}");
    }

    private async Task<string> AdministratorTokenAsync(string email)
    {
        await Admin.PostOk("/api/v1/users", new { email, isAdmin = true }, HttpStatusCode.Created);
        return await Admin.TokenForAsync(email, "admin", "webhooks");
    }

    private async Task<int> MailRowsAsync()
    {
        await using var db = await App.Service<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        return await db.NotificationMails.CountAsync();
    }

    private async Task<NotificationMail?> LatestMailAsync()
    {
        await using var db = await App.Service<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        return await db.NotificationMails.AsNoTracking().OrderByDescending(m => m.Id).FirstOrDefaultAsync();
    }
}
