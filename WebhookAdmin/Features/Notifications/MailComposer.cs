using System.Globalization;
using System.Resources;
using WebhookAdmin.Features.Deliveries.Reasons;
using WebhookAdmin.Resources;

namespace WebhookAdmin.Features.Notifications;

/// <summary>An email's words, ready to store.</summary>
public sealed record ComposedMail(string Subject, string Body);

/// <summary>
/// Writes a health email in its recipient's language, from the app's texts (<c>Mail.*</c> in UiText.resx and
/// UiText.pt-BR.resx). Plain text: every mail client shows it, and the one thing to click is a bare link.
/// </summary>
public static class MailComposer
{
    private static readonly ResourceManager Texts = new(typeof(UiText).FullName!, typeof(UiText).Assembly);

    public static ComposedMail Compose(HealthNoticeKind kind, HealthFacts facts, HealthNotice notice, int attemptsLeft, string publicUrl)
    {
        var culture = CultureInfo.GetCultureInfo(facts.OwnerLanguage is "pt-BR" ? "pt-BR" : "en");
        var webhook = facts.Webhook;
        var name = string.IsNullOrWhiteSpace(webhook.Name) ? webhook.Url : webhook.Name;
        var link = $"{publicUrl.TrimEnd('/')}/webhooks/{Uri.EscapeDataString(webhook.Id)}";
        var settings = $"{publicUrl.TrimEnd('/')}/settings/notifications";
        var main = kind switch
        {
            HealthNoticeKind.Disabled => Text("Mail.Disabled.Body", culture, name, webhook.Url, DisabledWhy(facts, notice, culture),
                facts.Held.ToString("N0", culture), link),
            HealthNoticeKind.Failing => Text("Mail.Failing.Body", culture, name, webhook.Url, notice.Change.Streak.ToString("N0", culture),
                LastError(facts, culture), attemptsLeft.ToString("N0", culture), link),
            _ => Text("Mail.Recovered.Body", culture, name, webhook.Url, notice.Change.Released.ToString("N0", culture), link),
        };
        var subject = Text($"Mail.{kind}.Subject", culture, name);
        return new ComposedMail(subject, main + "\n\n-- \n" + Text("Mail.Footer", culture, settings) + "\n");
    }

    private static string DisabledWhy(HealthFacts facts, HealthNotice notice, CultureInfo culture) =>
        ReasonText.For(facts.Webhook.DisabledReason, notice.Change.Reason ?? facts.Webhook.DisabledBecause, culture)
        ?? Text("Mail.NoReason", culture);

    private static string LastError(HealthFacts facts, CultureInfo culture) =>
        ReasonText.For(facts.LastError, facts.LastErrorReason, culture) ?? Text("Mail.NoReason", culture);

    private static string Text(string key, CultureInfo culture, params object[] args) =>
        string.Format(culture, Texts.GetString(key, culture) ?? throw new InvalidOperationException($"The text '{key}' is missing."), args);
}
