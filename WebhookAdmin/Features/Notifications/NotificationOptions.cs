using System.ComponentModel.DataAnnotations;

namespace WebhookAdmin.Features.Notifications;

/// <summary>The <c>Notifications</c> configuration section (contract, section 1).</summary>
public sealed class NotificationOptions
{
    public const string Section = "Notifications";

    public static readonly TimeSpan[] DefaultRetryDelays =
        [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2), TimeSpan.FromHours(6)];

    /// <summary>The SMTP server emails go through; without a host no email is written or sent (health events still are).</summary>
    public SmtpSettings Smtp { get; set; } = new();

    /// <summary>Consecutive failed attempts after which the owner is warned that a webhook is failing, once per streak.</summary>
    [Range(1, 1_000)]
    public int FailingAfter { get; set; } = 3;

    /// <summary>
    /// Wait after failed send 1, 2, 3…; after the last one the email is given up (and shown as failed to administrators).
    /// Empty here and defaulted after binding: the configuration binder appends to an initialised array.
    /// </summary>
    public TimeSpan[] RetryDelays { get; set; } = [];

    /// <summary>How often emails waiting for a retry are looked for; new ones are sent at once.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    public bool EmailsOn => !string.IsNullOrWhiteSpace(Smtp.Host);
}

public sealed class SmtpSettings
{
    public string? Host { get; set; }

    /// <summary>0: the usual port of <see cref="Security"/> (465 for SslOnConnect, else 25).</summary>
    [Range(0, 65_535)]
    public int Port { get; set; }

    /// <summary>Empty: no authentication.</summary>
    public string? UserName { get; set; }

    /// <summary>Never logged, never shown.</summary>
    public string? Password { get; set; }

    /// <summary>The sender address, e.g. <c>WebhookAdmin &lt;webhooks@example.com&gt;</c>; required with a host.</summary>
    public string? From { get; set; }

    public SmtpSecurity Security { get; set; } = SmtpSecurity.Auto;
}

/// <summary>How the connection to the SMTP server is protected (MailKit's <c>SecureSocketOptions</c>).</summary>
public enum SmtpSecurity
{
    None,
    StartTls,
    SslOnConnect,
    /// <summary>TLS on connect on port 465, else STARTTLS when the server offers it.</summary>
    Auto,
}
